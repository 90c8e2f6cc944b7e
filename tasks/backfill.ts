/** `deno task backfill`: download candles into the DB; resumable, gap-aware, with progress. */
import { Option } from "@commander-js/extra-typings";
import {
  type BackfillProgress,
  backfillRange,
  byExchange,
  checkDateBounds,
  checkMarkets,
  clipToOhlcvWindow,
  type DateBounds,
  exchangeBatch,
  formatSummary,
  type MarketRequest,
  parseBackfillDate,
  PlainProgress,
  runBackfill,
  TerminalProgress,
  uniqueRequests,
  windowNote,
} from "../src/backfill/mod.ts";
import { parseMarketArgs } from "../src/candles/mod.ts";
import { parseConfigDate, parseInstanceConfig, readConfigFile } from "../src/config/mod.ts";
import { exchangeApiUrl, readSettings } from "../src/config/env.ts";
import { SystemClock } from "../src/core/clock.ts";
import { EXIT_OK, EXIT_RUNTIME, InputError } from "../src/core/errors.ts";
import {
  type CachedMarket,
  createExchange,
  type ExchangeClient,
  exchangeFacts,
  exchangeIds,
} from "../src/exchange/mod.ts";
import { setupLogging, shutdownLogging } from "../src/logging/mod.ts";
import { openStore, type Store } from "../src/storage/mod.ts";
import { parseTimeframe } from "../src/timeframes/mod.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";

interface BackfillFlags {
  config?: string[];
  exchange?: string;
  symbol?: string;
  timeframe?: string;
  since?: string;
  until?: string;
  pageSize?: number;
}

function program() {
  return newCommand("backfill", "Download closed candles from an exchange into the database.")
    .option("--config <file...>", "instance configs whose markets to backfill")
    .option("--exchange <id>", "CCXT exchange id, e.g. binance")
    .option("--symbol <symbol>", "unified symbol, e.g. BTC/USDT")
    .option("--timeframe <tf>", "candle timeframe, e.g. 1h")
    .option(
      "--since <date>",
      "first open time (YYYY-MM-DD, ISO or epoch ms); default: after the newest stored candle",
    )
    .option("--until <date>", "end, exclusive (YYYY-MM-DD, ISO or epoch ms); default: now")
    .addOption(
      new Option("--page-size <n>", "candles per request; default: the exchange's maximum")
        .argParser(parsePageSize),
    );
}

function parsePageSize(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 5000) {
    throw new InputError(
      `Cannot backfill: --page-size: must be an integer 1..5000 (got "${text}")`,
    );
  }
  return n;
}

async function marketRequests(flags: BackfillFlags): Promise<MarketRequest[]> {
  const marketFlags = [flags.exchange, flags.symbol, flags.timeframe];
  if (flags.config && marketFlags.some((flag) => flag !== undefined)) {
    throw new InputError("Cannot backfill: use either --config or --exchange/--symbol/--timeframe");
  }
  if (flags.config) {
    const requests = [];
    for (const path of flags.config) {
      // The timeframe against the exchange's CCXT class; the symbol once its markets are loaded.
      const configText = await readConfigFile(path);
      const config = parseInstanceConfig(configText, {
        path,
        strategies: null,
        exchange: { rules: exchangeFacts, knownIds: exchangeIds() },
      });
      const from = config.backtest.from;
      requests.push({
        market: { exchange: config.exchange, symbol: config.symbol, timeframe: config.timeframe },
        configPath: path,
        configText,
        defaultSinceMs: from ? parseConfigDate(String(from)) : null,
      });
    }
    return uniqueRequests(requests);
  }
  if (marketFlags.some((flag) => flag === undefined)) {
    throw new InputError(
      "Cannot backfill: give --config FILE... or all of --exchange, --symbol and --timeframe",
    );
  }
  const market = parseMarketArgs({
    exchange: flags.exchange!,
    symbol: flags.symbol!,
    timeframe: flags.timeframe!,
  });
  return [{ market, configPath: null, defaultSinceMs: null }];
}

/** A page size above an exchange's own limit would be cut short by it and look like the end. */
function checkPageSize(pageSize: number | undefined, requests: readonly MarketRequest[]): void {
  if (pageSize === undefined) return;
  for (const [id] of byExchange(requests)) {
    const limit = exchangeFacts(id)?.ohlcvPageLimit;
    if (limit !== undefined && pageSize > limit) {
      throw new InputError(
        `Cannot backfill: --page-size: ${id} serves at most ${limit} candles per request (got ${pageSize})`,
      );
    }
  }
}

function dateBounds(flags: BackfillFlags, nowMs: number): DateBounds {
  const bounds = {
    sinceMs: flags.since === undefined ? null : parseBackfillDate("since", flags.since),
    untilMs: flags.until === undefined ? null : parseBackfillDate("until", flags.until),
  };
  checkDateBounds(bounds, nowMs);
  return bounds;
}

/**
 * Builds a client per exchange (no credentials: public data only) and checks every market;
 * returns the clients and the markets they loaded.
 */
async function exchangeClients(
  requests: readonly MarketRequest[],
  nowMs: number,
): Promise<{ clients: Map<string, ExchangeClient>; markets: CachedMarket[] }> {
  const env = Deno.env.toObject();
  const clients = new Map<string, ExchangeClient>();
  for (const [id] of byExchange(requests)) {
    clients.set(
      id,
      createExchange(id, { apiUrl: exchangeApiUrl(id, env), credentials: null }),
    );
  }
  const markets = await Promise.all(
    [...byExchange(requests)].map(([id, group]) => checkMarkets(clients.get(id)!, group, nowMs)),
  );
  return { clients, markets: markets.flat() };
}

function progressView(): BackfillProgress {
  const nowMs = () => performance.now();
  if (!Deno.stderr.isTerminal()) {
    const encoder = new TextEncoder();
    return new PlainProgress((line) => Deno.stderr.writeSync(encoder.encode(`${line}\n`)), {
      nowMs,
    });
  }
  const encoder = new TextEncoder();
  const columns = (() => {
    try {
      return Deno.consoleSize().columns || 100;
    } catch {
      return 100;
    }
  })();
  return new TerminalProgress((text) => Deno.stderr.writeSync(encoder.encode(text)), {
    nowMs,
    columns,
  });
}

/** Aborts on the first SIGINT or SIGTERM, so the run stops and prints its summary. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error("stopped by signal"));
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  return controller.signal;
}

async function backfill(flags: BackfillFlags): Promise<number> {
  const startedMs = performance.now();
  const nowMs = Date.now();
  const bounds = dateBounds(flags, nowMs);
  const requests = await marketRequests(flags);
  checkPageSize(flags.pageSize, requests);
  const settings = readSettings(Deno.env.toObject());
  setupLogging({
    name: "backfill",
    logDir: settings.logDir,
    level: settings.logLevel,
    stderr: false,
  });
  // The markets are checked before the DB is opened, so bad input leaves it untouched.
  const { clients, markets } = await exchangeClients(requests, nowMs);
  const store: Store = openStore(settings.databaseUrl);
  try {
    // Cached for check-config, which checks symbols and stakes against them offline.
    store.markets.upsert(markets);
    // Downloads share the host-wide request budget with every other process.
    for (const client of clients.values()) client.shareRateBudget({ store: store.rateBudget });
    const jobs = requests.map((request) => {
      const timeframe = parseTimeframe(request.market.timeframe);
      const range = backfillRange(request.market, bounds, {
        timeframe,
        nowMs,
        lastStoredMs: store.candles.bounds(request.market)?.lastMs ?? null,
        defaultSinceMs: request.defaultSinceMs,
      });
      // Kraken serves only its latest 720 candles: say so now, and ask only for those.
      const windowCandles = exchangeFacts(request.market.exchange)?.ohlcvWindow ?? null;
      const windowed = clipToOhlcvWindow(range, { timeframe, nowMs, windowCandles });
      if (windowed.unreachable !== null) {
        writeLine(windowNote(request.market, windowed, windowCandles!));
      }
      return { market: request.market, ...windowed };
    });
    const clock = new SystemClock();
    const batches = [...clients].map(([id, client]) =>
      exchangeBatch(client, jobs.filter((job) => job.market.exchange === id), {
        clock,
        pageLimit: flags.pageSize,
      })
    );
    const progress = progressView();
    const summaries = await runBackfill(batches, { store, clock, progress, signal: stopSignal() });
    progress.close();
    for (const line of formatSummary(summaries, performance.now() - startedMs)) writeLine(line);
    return summaries.some((summary) => summary.status === "failed") ? EXIT_RUNTIME : EXIT_OK;
  } finally {
    store.close();
    await shutdownLogging();
  }
}

if (import.meta.main) {
  await runTask("backfill", async (args) => {
    const command = program();
    command.parse(args, { from: "user" });
    return await backfill(command.opts());
  });
}
