/**
 * `deno task demo`: the offline tour on bundled real candles. It imports every sample, backtests
 * every example config and prints one comparison table, writing HTML reports, then replays one
 * config through the live loop at watchable speed for `deno task dashboard`. A config whose
 * market has no bundled candles runs on a resampled or stand-in market, marked in the table.
 * Safe to run twice: imports and resamples are upserts, reports are overwritten and the
 * replay's earlier rows are forgotten first.
 */
import { importCandleFile, marketFromFileName } from "../src/candles/mod.ts";
import { backtestConfig, loadBacktestCandles } from "../src/backtest/mod.ts";
import { type InstanceConfig, loadInstanceConfig, parseConfigDate } from "../src/config/mod.ts";
import { readSettings, type Settings } from "../src/config/env.ts";
import { SystemClock } from "../src/core/clock.ts";
import { InputError } from "../src/core/errors.ts";
import type { MarketRef } from "../src/core/types.ts";
import {
  comparisonCells,
  demoInstanceName,
  type DemoMarket,
  demoMarketFootnote,
  type DemoPlan,
  formatComparisonTable,
  planDemoMarkets,
  runDemoReplay,
} from "../src/demo/mod.ts";
import { getLogger, setupLogging, shutdownLogging } from "../src/logging/mod.ts";
import { openStore, type Store } from "../src/storage/mod.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";
import { listLines } from "./candles.ts";
import { REPORT_DIR, writeBacktestReports } from "./_backtest_reports.ts";

const SAMPLES_DIR = new URL("../data/samples/", import.meta.url);

/** Imports every `exchange_BASE-QUOTE_tf.csv` in data/samples; re-running adds nothing. */
export async function importBundledSamples(
  store: Store,
): Promise<{ files: number; added: number; markets: MarketRef[] }> {
  const names = [];
  for await (const entry of Deno.readDir(SAMPLES_DIR)) {
    if (entry.isFile && marketFromFileName(entry.name)) names.push(entry.name);
  }
  names.sort();
  let added = 0;
  const markets: MarketRef[] = [];
  for (const name of names) {
    const market = marketFromFileName(name)!;
    markets.push(market);
    const bytes = await Deno.readFile(new URL(name, SAMPLES_DIR));
    const result = importCandleFile(store.candles, bytes, { file: `data/samples/${name}`, market });
    added += result.inserted;
    writeLine(
      `${name}: ${result.rows} candles, ${result.inserted} new, ${result.updated} updated`,
    );
  }
  return { files: names.length, added, markets };
}

const CONFIG_DIR = new URL("../config/strategies/", import.meta.url);

/** One row of the comparison table, and its footnote when it ran on a stand-in market. */
interface DemoRow {
  readonly name: string;
  readonly cells: readonly string[];
  readonly htmlPath: string;
  readonly footnote: string | null;
}

async function exampleConfigs(): Promise<InstanceConfig[]> {
  const paths: string[] = [];
  for await (const entry of Deno.readDir(CONFIG_DIR)) {
    if (entry.isFile && entry.name.endsWith(".yaml")) paths.push(entry.name);
  }
  paths.sort();
  return await Promise.all(paths.map((name) => loadInstanceConfig(`config/strategies/${name}`)));
}

/**
 * Backtests one config where `demo` says: on its own market over its configured range, or on a
 * stand-in market over all of that market's candles (the range was chosen for another market).
 */
async function backtestExample(
  store: Store,
  { config, demo }: { config: InstanceConfig; demo: DemoMarket },
  reportDir: string,
): Promise<DemoRow> {
  const ran = { ...config, ...demo.market };
  const own = `${ran.exchange} ${ran.symbol} ${ran.timeframe}` ===
    `${config.exchange} ${config.symbol} ${config.timeframe}`;
  const { from, to } = own ? config.backtest : { from: null, to: null };
  const fromMs = from === null ? undefined : parseConfigDate(from);
  const toMs = to === null ? undefined : parseConfigDate(to);
  const loaded = loadBacktestCandles(store.candles, ran, {
    fromMs: fromMs ?? -Infinity,
    toMs: toMs === undefined ? Infinity : toMs - 1,
  });
  const market = store.markets.get(ran.exchange, ran.symbol);
  const { report } = backtestConfig(ran, loaded.columns, { market, fromMs, toMs });
  const [, htmlPath] = await writeBacktestReports(report, loaded.columns, {
    name: config.name,
    json: `${reportDir}/${config.name}.json`,
    html: `${reportDir}/${config.name}.html`,
  });
  const marked = demo.note !== null;
  return {
    name: config.name,
    htmlPath,
    cells: comparisonCells(ran, report, { marked }),
    footnote: marked ? demoMarketFootnote(config.name, demo) : null,
  };
}

async function backtestExamples(
  store: Store,
  plans: readonly DemoPlan[],
  reportDir: string,
): Promise<void> {
  const rows: DemoRow[] = [];
  const skipped: string[] = [];
  for (const { config, demo } of plans) {
    if (demo === null) skipped.push(config.name);
    else rows.push(await backtestExample(store, { config, demo }, reportDir));
  }
  for (const line of formatComparisonTable(rows.map((row) => row.cells))) writeLine(line);
  for (const row of rows) if (row.footnote !== null) writeLine(row.footnote);
  writeLine("");
  if (skipped.length > 0) {
    writeLine(`No bundled candles for ${skipped.join(", ")} (deno task backfill fetches them).`);
  }
  writeLine("HTML reports:");
  for (const row of rows) writeLine(`  ${row.htmlPath}`);
}

/** The example the demo replays: the simplest strategy on the longest bundled series. */
const REPLAY_CONFIG = "sma-cross-btc-1h";

function nonNegativeInt(option: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) {
      throw new InputError(`Cannot read ${option}: must be a whole number ≥ 0 (got "${text}")`);
    }
    return value;
  };
}

/** Replays the latest candles of REPLAY_CONFIG, paced, until done or Ctrl-C. */
async function replayExample(
  store: Store,
  config: InstanceConfig,
  options: { settings: Settings; candles: number; paceMs: number },
): Promise<void> {
  const instance = demoInstanceName(config);
  store.forgetInstance(instance);
  const seconds = Math.round(options.candles * options.paceMs / 1000);
  writeLine(
    `Replaying the latest ${options.candles} candles of ${config.name} as "${instance}" ` +
      `(~${seconds} s). Watch it live: run \`deno task dashboard\` in another terminal.`,
  );
  const { logDir, logLevel } = options.settings;
  setupLogging({ name: instance, logDir, level: logLevel });
  const controller = new AbortController();
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  try {
    const result = await runDemoReplay(config, store, {
      candles: options.candles,
      paceMs: options.paceMs,
      wallClock: new SystemClock(),
      logger: getLogger(["replay", instance]),
      pid: Deno.pid,
      signal: controller.signal,
    });
    if (result === null) return writeLine(`No candles for ${config.name}: replay skipped.`);
    writeLine(
      `replay ${instance}: ${result.candles} candles, ${result.trades} trades, ` +
        `pnl ${result.pnlQuote.toFixed(2)}, status stopped${
          result.stopped ? " (interrupted)" : ""
        }`,
    );
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
    await shutdownLogging();
  }
}

async function main(args: string[]): Promise<void> {
  const program = newCommand(
    "demo",
    "Offline tour: import the bundled candles, backtest every example config, replay one live",
  )
    .option("--reports <dir>", "where the HTML and JSON reports go", REPORT_DIR)
    .option(
      "--replay-candles <n>",
      "candles the live replay runs",
      nonNegativeInt("--replay-candles"),
      300,
    )
    .option("--pace-ms <n>", "sleep between replayed candles", nonNegativeInt("--pace-ms"), 50);
  await program.parseAsync(args, { from: "user" });
  const options = program.opts();
  const settings = readSettings(Deno.env.toObject());
  const store = openStore(settings.databaseUrl);
  try {
    const { files, added, markets } = await importBundledSamples(store);
    writeLine(`Imported ${files} sample files (${added} new candles).`);
    const configs = await exampleConfigs();
    const { plans, resampled } = planDemoMarkets(store.candles, configs, markets);
    for (const result of resampled) {
      const { exchange, symbol, timeframe } = result.source;
      writeLine(
        `Resampled ${exchange} ${symbol} ${timeframe} into ${result.market.timeframe}: ` +
          `${result.candles} candles, ${result.inserted} new, ${result.updated} updated, ` +
          `${result.incomplete} incomplete`,
      );
    }
    writeLine("");
    for (const line of listLines(store)) writeLine(line);
    writeLine("");
    await backtestExamples(store, plans, options.reports.replace(/\/$/, ""));
    writeLine("");
    const replayed = configs.find((config) => config.name === REPLAY_CONFIG);
    if (replayed !== undefined && options.replayCandles > 0) {
      await replayExample(store, replayed, {
        settings,
        candles: options.replayCandles,
        paceMs: options.paceMs,
      });
    }
  } finally {
    store.close();
  }
}

if (import.meta.main) await runTask("demo", main);
