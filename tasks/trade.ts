/**
 * `deno task trade --config FILE`: runs one instance (paper by default, live with `mode: live`
 * and keys) until SIGTERM or SIGINT, then exits 0 with status `stopped`.
 *
 * Test hooks (never for production): `--test-clock=emulator:URL` follows the loopback emulator's
 * market time (paper only; live refuses it with exit 2); env `TRADER_FAILPOINT=<name>` SIGKILLs
 * the process at that point of the order path (see src/trader/failpoint.ts).
 */
import denoJson from "../deno.json" with { type: "json" };
import {
  exchangeApiUrl,
  exchangeCredentials,
  type InstanceConfig,
  readSettings,
} from "../src/config/mod.ts";
import { SystemClock } from "../src/core/clock.ts";
import { errorMessage, InputError } from "../src/core/errors.ts";
import type { Clock, Strategy } from "../src/core/ports.ts";
import { loadConfig } from "../src/app/load_config.ts";
import {
  createExchange,
  exchangeApiHosts,
  loadMarketCatalog,
  MarketValidationError,
} from "../src/exchange/mod.ts";
import { getLogger, setupLogging, shutdownLogging } from "../src/logging/mod.ts";
import { openStore } from "../src/storage/mod.ts";
import { failpointFor } from "../src/trader/failpoint.ts";
import { openTrader } from "../src/trader/open_trader.ts";
import { runTrader } from "../src/trader/run_trader.ts";
import { EmulatorMarketClock, parseTestClock } from "../src/trader/test_clock.ts";
import { untilStopped } from "../src/trader/until_stopped.ts";
import { newCommand, runTask } from "./_cli.ts";

/** Seconds a stop may take before the process exits anyway (the limit is 10). */
const STOP_GRACE_MS = 8_000;

function checkMode(
  config: InstanceConfig,
  path: string,
  options: { testClock?: string },
  env: Record<string, string>,
) {
  const credentials = exchangeCredentials(config.exchange, env);
  if (config.mode !== "live") return null;
  if (options.testClock !== undefined) {
    throw new InputError(
      `Cannot start live trading: ${path}: mode: --test-clock is a test hook; live refuses it`,
    );
  }
  const prefix = config.exchange.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  if (credentials.apiKey === null || credentials.secret === null) {
    throw new InputError(
      `Cannot start live trading: ${path}: mode: live needs ${prefix}_API_KEY and ${prefix}_API_SECRET in the environment`,
    );
  }
  return { apiKey: credentials.apiKey, secret: credentials.secret, password: credentials.password };
}

/** Drops net access to every host of the `trade` permission set this exchange does not use. */
async function narrowNetwork(config: InstanceConfig, apiUrl: string | null): Promise<void> {
  const keep = new Set(exchangeApiHosts(config.exchange, { apiUrl, sandbox: config.sandbox }));
  const keepHosts = new Set([...keep].map((host) => host.replace(/:\d+$/, "")));
  for (const host of denoJson.permissions.trade.net) {
    if (!keep.has(host) && !keepHosts.has(host)) {
      await Deno.permissions.revoke({ name: "net", host });
    }
  }
}

async function main(args: string[]): Promise<number> {
  const program = newCommand("trade", "Run one trading instance until SIGTERM or SIGINT")
    .requiredOption("--config <file>", "instance config (config/strategies/*.yaml)")
    .option("--close-on-exit", "cancel orders and sell the position when stopping")
    .option(
      "--test-clock <spec>",
      "TEST ONLY: emulator:URL follows the emulator's market time (paper)",
    );
  await program.parseAsync(args, { from: "user" });
  const options = program.opts();
  using loaded = await loadConfig(options.config);
  const config = loaded.config;
  const env = Deno.env.toObject();
  const settings = readSettings(env);
  const credentials = checkMode(config, options.config, options, env);
  const testClockUrl = options.testClock === undefined ? null : parseTestClock(options.testClock);
  if (options.testClock !== undefined && testClockUrl === null) {
    throw new InputError(
      `Cannot run trade: --test-clock: expected emulator:URL (got "${options.testClock}")`,
    );
  }
  const apiUrl = exchangeApiUrl(config.exchange, env);
  await narrowNetwork(config, apiUrl);
  setupLogging({ name: config.name, logDir: settings.logDir, level: settings.logLevel });
  const logger = getLogger(["trader", config.name]);
  try {
    return await trade(config, {
      path: options.config,
      credentials,
      apiUrl,
      testClockUrl,
      closeOnExit: options.closeOnExit === true,
      strategy: loaded.createStrategy(config),
      databaseUrl: settings.databaseUrl,
      logger,
    });
  } finally {
    await shutdownLogging();
  }
}

interface TradeSetup {
  readonly path: string;
  readonly credentials: ReturnType<typeof checkMode>;
  readonly apiUrl: string | null;
  readonly testClockUrl: string | null;
  readonly closeOnExit: boolean;
  readonly databaseUrl: string;
  readonly logger: ReturnType<typeof getLogger>;
  /** The strategy instance: a built-in, or a user module's sandbox proxy. */
  readonly strategy: Strategy;
}

async function trade(config: InstanceConfig, setup: TradeSetup): Promise<number> {
  const { logger } = setup;
  const mode = config.mode;
  if (mode === "live") {
    logger.warn("LIVE TRADING with real money: {exchange} {symbol}, stake {stake}", {
      exchange: config.exchange,
      symbol: config.symbol,
      stake: config.risk.stake_amount !== null
        ? `${config.risk.stake_amount} quote`
        : `${config.risk.stake_pct ?? 95}% of free quote`,
    });
  }
  const wallClock = new SystemClock();
  const clock: Clock = setup.testClockUrl === null
    ? wallClock
    : await EmulatorMarketClock.connect(setup.testClockUrl);
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error("stop signal"));
  Deno.addSignalListener("SIGTERM", onSignal);
  Deno.addSignalListener("SIGINT", onSignal);
  const store = openStore(setup.databaseUrl);
  const client = createExchange(config.exchange, {
    credentials: setup.credentials,
    apiUrl: setup.apiUrl,
    sandbox: config.sandbox,
    rateBudget: { store: store.rateBudget },
  });
  let opened: Awaited<ReturnType<typeof openTrader>> | null = null;
  try {
    const catalog = await loadMarketCatalog(client, {
      nowMs: wallClock.nowMs(),
      cache: store.markets,
    });
    opened = await openTrader({
      config,
      mode,
      store,
      client,
      catalog,
      clock,
      wallClock,
      logger,
      pid: Deno.pid,
      signal: controller.signal,
      strategy: setup.strategy,
      failpoint: failpointFor(
        Deno.env.get("TRADER_FAILPOINT"),
        () => Deno.kill(Deno.pid, "SIGKILL"),
      ),
    }).catch((error) => {
      if (error instanceof MarketValidationError) {
        throw new InputError(
          `Cannot start ${config.name}: ${setup.path}: ${error.field}: ${error.reason}`,
          { cause: error },
        );
      }
      throw error;
    });
    const { trader } = opened;
    if (trader.paused === null) trader.setStatus("running");
    const loop = runTrader(trader, {
      feed: opened.feed,
      sinceMs: opened.sinceMs,
      signal: controller.signal,
      heartbeatMs: config.trade.heartbeat_seconds * 1000,
      reconcile: opened.reconcile,
      venueNeedsReconcile: () => opened?.live?.needsReconcile ?? false,
      ticker: opened.ticker,
    });
    await untilStopped(loop, controller.signal, STOP_GRACE_MS);
    if (setup.closeOnExit) await trader.closeAll();
    trader.persistState();
    trader.setStatus(
      "stopped",
      setup.closeOnExit ? "stopped by signal; position closed" : "stopped by signal",
    );
    logger.info("Stopped cleanly");
    return 0;
  } catch (error) {
    if (controller.signal.aborted && error === controller.signal.reason) {
      // Stopped while starting (e.g. waiting for unconfirmed orders): a clean stop.
      store.instances.update(config.name, {
        status: "stopped",
        statusReason: "stopped while starting",
      });
      return 0;
    }
    if (!(error instanceof InputError)) {
      try {
        if (opened !== null) {
          opened.trader.lastError = errorMessage(error);
          opened.trader.setStatus("error", errorMessage(error));
        } else {store.instances.update(config.name, {
            status: "error",
            statusReason: errorMessage(error),
            lastError: errorMessage(error),
            pid: Deno.pid,
          });}
      } catch { /* the DB itself may be the problem; the exit code still says so */ }
      logger.error("Stopped with an error: {error}", { error: errorMessage(error) });
    }
    throw error;
  } finally {
    Deno.removeSignalListener("SIGTERM", onSignal);
    Deno.removeSignalListener("SIGINT", onSignal);
    store.close();
  }
}

if (import.meta.main) await runTask("trade", main);
