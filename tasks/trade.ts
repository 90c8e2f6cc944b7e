/**
 * `deno task trade --config FILE`: runs one instance (paper by default, live with `mode: live`
 * and keys) until SIGTERM or SIGINT, then exits 0 with status `stopped`.
 *
 * Test hooks (never for production): `--test-clock=emulator:URL` follows the loopback emulator's
 * market time (paper only; live refuses it with exit 2); env `TRADER_FAILPOINT=<name>` SIGKILLs
 * the process at that point of the order path and `TRADER_FAILPOINT_TRACE=<file>` logs every
 * point reached (see src/trader/failpoint.ts).
 */
import denoJson from "../deno.json" with { type: "json" };
import {
  exchangeApiUrl,
  exchangeCredentials,
  type InstanceConfig,
  readSettings,
} from "../src/config/mod.ts";
import { SystemClock } from "../src/core/clock.ts";
import { DatabaseUnavailableError, errorMessage, InputError } from "../src/core/errors.ts";
import type { Clock, Strategy } from "../src/core/ports.ts";
import { checkConfigMarkets, loadConfig } from "../src/app/load_config.ts";
import { type OpenedTrader, openTrader } from "../src/app/open_trader.ts";
import {
  createExchange,
  exchangeApiHosts,
  loadMarketCatalog,
  MarketValidationError,
  type RateBudgetStore,
} from "../src/exchange/mod.ts";
import { getLogger, setupLogging, shutdownLogging } from "../src/logging/mod.ts";
import { openStore, parseDatabaseUrl, type Store } from "../src/storage/mod.ts";
import { type HeldLease, holdInstanceLease } from "../src/trader/instance_lease.ts";
import { leaseLockPath, systemLeaseHost } from "./_lease_host.ts";
import { failpointFor } from "../src/trader/failpoint.ts";
import { runTrader } from "../src/trader/run_trader.ts";
import { CommandRunner } from "../src/control/command_runner.ts";
import {
  notificationHosts,
  type Notifications,
  openNotifications,
} from "../src/notify/notifications.ts";
import { EmulatorMarketClock, parseTestClock } from "../src/trader/test_clock.ts";
import { untilStopped } from "../src/trader/until_stopped.ts";
import { newCommand, runTask } from "./_cli.ts";

/** Seconds a stop may take before the process exits anyway (the documented limit is 10). */
const STOP_GRACE_MS = 8_000;
/** How long a stopping trader waits for its last notifications to be delivered. */
const NOTIFY_FLUSH_MS = 1_500;

/** The command line, parsed. */
async function parseArgs(args: string[]) {
  const program = newCommand("trade", "Run one trading instance until SIGTERM or SIGINT")
    .requiredOption("--config <file>", "instance config (config/strategies/*.yaml)")
    .option("--close-on-exit", "cancel orders and sell the position when stopping")
    .option(
      "--test-clock <spec>",
      "TEST ONLY: emulator:URL follows the emulator's market time (paper)",
    );
  await program.parseAsync(args, { from: "user" });
  return program.opts();
}

/** Live needs keys and refuses the test clock; returns the keys (null in paper mode). */
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

/** The emulator URL of `--test-clock`, or null without it. */
function testClockUrl(spec: string | undefined): string | null {
  if (spec === undefined) return null;
  const url = parseTestClock(spec);
  if (url === null) {
    throw new InputError(`Cannot run trade: --test-clock: expected emulator:URL (got "${spec}")`);
  }
  return url;
}

/** Drops net access to every host of the `trade` permission set this exchange does not use. */
async function narrowNetwork(
  config: InstanceConfig,
  apiUrl: string | null,
  databaseUrl: string,
  notifyHosts: readonly string[] = [],
): Promise<void> {
  const keep = new Set(exchangeApiHosts(config.exchange, { apiUrl, sandbox: config.sandbox }));
  // The notification channels in use stay reachable too.
  for (const host of notifyHosts) keep.add(host);
  // A PostgreSQL server in DATABASE_URL stays reachable.
  const database = parseDatabaseUrl(databaseUrl);
  if (database.kind === "postgres") keep.add(`${database.host}:${database.port}`);
  const keepHosts = new Set([...keep].map((host) => host.replace(/:\d+$/, "")));
  for (const host of denoJson.permissions.trade.net) {
    if (!keep.has(host) && !keepHosts.has(host)) {
      await Deno.permissions.revoke({ name: "net", host });
    }
  }
}

async function main(args: string[]): Promise<number> {
  const options = await parseArgs(args);
  using loaded = await loadConfig(options.config);
  const config = loaded.config;
  const env = Deno.env.toObject();
  const settings = readSettings(env);
  const credentials = checkMode(config, options.config, options, env);
  const clockUrl = testClockUrl(options.testClock);
  const apiUrl = exchangeApiUrl(config.exchange, env);
  // A malformed channel in the environment exits 2 here, before anything starts.
  const notifyHosts = notificationHosts(config.notify, env);
  await narrowNetwork(config, apiUrl, settings.databaseUrl, notifyHosts);
  setupLogging({ name: config.name, logDir: settings.logDir, level: settings.logLevel });
  try {
    return await trade(config, {
      path: options.config,
      text: loaded.text,
      credentials,
      apiUrl,
      testClockUrl: clockUrl,
      closeOnExit: options.closeOnExit === true,
      strategy: loaded.createStrategy(config),
      databaseUrl: settings.databaseUrl,
      logger: getLogger(["trader", config.name]),
    });
  } finally {
    await shutdownLogging();
  }
}

interface TradeSetup {
  readonly path: string;
  /** The config file's text, to name a line when the markets refuse it. */
  readonly text: string;
  readonly credentials: ReturnType<typeof checkMode>;
  readonly apiUrl: string | null;
  readonly testClockUrl: string | null;
  readonly closeOnExit: boolean;
  readonly databaseUrl: string;
  readonly logger: ReturnType<typeof getLogger>;
  /** The strategy instance: a built-in, or a user module's sandbox proxy. */
  readonly strategy: Strategy;
}

/** Opens the instance, runs it until a stop signal, and records how it ended. */
async function trade(config: InstanceConfig, setup: TradeSetup): Promise<number> {
  warnIfLive(config, setup.logger);
  const wallClock = new SystemClock();
  const clock = await marketClock(setup.testClockUrl, wallClock);
  using stop = stopOnSignal();
  const store = openStore(setup.databaseUrl);
  let opened: OpenedTrader | null = null;
  let lease: HeldLease | null = null;
  const notifications = openNotifications({
    instance: config.name,
    filter: config.notify,
    env: Deno.env.toObject(),
    outbox: store.outbox,
    clock: wallClock,
    logger: setup.logger,
  });
  try {
    lease = holdLease(config, setup, store);
    notifications.sender.start();
    opened = await open(config, setup, {
      store,
      clock,
      wallClock,
      signal: stop.signal,
      notifier: notifications.notifier,
    });
    await runUntilStopped(opened, setup, stop.signal);
    return 0;
  } catch (error) {
    if (stop.signal.aborted && error === stop.signal.reason) {
      // Stopped while starting (e.g. waiting for unconfirmed orders): a clean stop.
      store.instances.update(config.name, {
        status: "stopped",
        statusReason: "stopped while starting",
      });
      return 0;
    }
    if (!(error instanceof InputError)) recordFailure(config, { store, opened, setup, error });
    throw error;
  } finally {
    try {
      // The last events (stopped, error) get a short chance to go out; the rest wait in the outbox.
      await notifications.sender.flush(NOTIFY_FLUSH_MS).catch((error) =>
        setup.logger.warn("Notifications not flushed: {error}", { error: errorMessage(error) })
      );
      await notifications.sender.stop();
      lease?.release();
    } finally {
      store.close();
    }
  }
}

/** This run's lease on the instance name; another live run of it makes this one exit 2. */
function holdLease(config: InstanceConfig, setup: TradeSetup, store: Store): HeldLease {
  let lastRenewError: string | null = null;
  const lease = holdInstanceLease(store.leases, systemLeaseHost(), {
    name: config.name,
    lockPath: leaseLockPath("./data", setup.databaseUrl, config.name),
    heartbeatMs: config.trade.heartbeat_seconds * 1000,
    onLost: (holder) => {
      // Another run took the name over (this one's lease lapsed): stop at once, like a crash,
      // writing nothing more; the holder reconciles.
      setup.logger.error("Lease of {name} taken over by pid {pid} on {host}; exiting", {
        name: config.name,
        pid: holder?.pid ?? "?",
        host: holder?.host ?? "?",
      });
      Deno.exit(1);
    },
    onRenewError: (error) => {
      // A database outage fails every renewal: one warning per different error.
      const message = errorMessage(error);
      if (message === lastRenewError) return;
      lastRenewError = message;
      setup.logger.warn("Lease not renewed: {error}", { error: message });
    },
  });
  if (lease.previous !== null) {
    setup.logger.info("Took over {name} from pid {pid} on {host}", {
      name: config.name,
      pid: lease.previous.pid,
      host: lease.previous.host,
    });
  }
  return lease;
}

function warnIfLive(config: InstanceConfig, logger: TradeSetup["logger"]): void {
  if (config.mode !== "live") return;
  logger.warn("LIVE TRADING with real money: {exchange} {symbol}, stake {stake}", {
    exchange: config.exchange,
    symbol: config.symbol,
    stake: config.risk.stake_amount !== null
      ? `${config.risk.stake_amount} quote`
      : `${config.risk.stake_pct ?? 95}% of free quote`,
  });
}

/** Market time: the wall clock, or the emulator's with `--test-clock`. */
async function marketClock(testClockUrl: string | null, wallClock: Clock): Promise<Clock> {
  return testClockUrl === null ? wallClock : await EmulatorMarketClock.connect(testClockUrl);
}

/** A signal that SIGTERM and SIGINT abort; disposing of it removes the listeners. */
function stopOnSignal(): { readonly signal: AbortSignal } & Disposable {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error("stop signal"));
  Deno.addSignalListener("SIGTERM", onSignal);
  Deno.addSignalListener("SIGINT", onSignal);
  return {
    signal: controller.signal,
    [Symbol.dispose]() {
      Deno.removeSignalListener("SIGTERM", onSignal);
      Deno.removeSignalListener("SIGINT", onSignal);
    },
  };
}

/** The exchange client and markets, then the trader from the composition root. */
async function open(
  config: InstanceConfig,
  setup: TradeSetup,
  at: {
    store: Store;
    clock: Clock;
    wallClock: Clock;
    signal: AbortSignal;
    notifier: Notifications["notifier"];
  },
): Promise<OpenedTrader> {
  const { store, wallClock } = at;
  const client = createExchange(config.exchange, {
    credentials: setup.credentials,
    apiUrl: setup.apiUrl,
    sandbox: config.sandbox,
    rateBudget: { store: budgetWithoutDatabase(store) },
  });
  const catalog = await loadMarketCatalog(client, {
    nowMs: wallClock.nowMs(),
    cache: store.markets,
  });
  checkConfigMarkets(setup, setup.path, catalog.markets());
  const kill = () => Deno.kill(Deno.pid, "SIGKILL");
  const tracePath = Deno.env.get("TRADER_FAILPOINT_TRACE");
  const trace = tracePath === undefined || tracePath === ""
    ? undefined
    : (line: string) => Deno.writeTextFileSync(tracePath, line, { append: true });
  return await openTrader({
    ...at,
    config,
    mode: config.mode,
    client,
    catalog,
    logger: setup.logger,
    pid: Deno.pid,
    strategy: setup.strategy,
    failpoint: failpointFor(Deno.env.get("TRADER_FAILPOINT"), {
      kill,
      trace,
      nowMs: () => wallClock.nowMs(),
    }),
  }).catch((error) => {
    if (!(error instanceof MarketValidationError)) throw error;
    throw new InputError(
      `Cannot start ${config.name}: ${setup.path}: ${error.field}: ${error.reason}`,
      { cause: error },
    );
  });
}

/**
 * The shared request budget, which lives in the DB: while the database is unreachable a request
 * goes out on CCXT's own pacing alone, so that reconciliation and candles are not stuck on it.
 */
function budgetWithoutDatabase(store: Store): RateBudgetStore {
  return {
    reserve(request) {
      try {
        return store.rateBudget.reserve(request);
      } catch (error) {
        if (error instanceof DatabaseUnavailableError) return 0;
        throw error;
      }
    },
  };
}

/** Runs the loop until a stop signal, then (optionally) closes the position and saves. */
async function runUntilStopped(
  opened: OpenedTrader,
  setup: TradeSetup,
  signal: AbortSignal,
): Promise<void> {
  const { trader } = opened;
  // Operator commands (deno task ctl, the dashboard); a pause from before a restart holds.
  const control = new CommandRunner(trader, trader.options.store.commands, new SystemClock());
  control.restore();
  trader.start();
  const run = runTrader(trader, { ...opened.loop, signal, control });
  await untilStopped(run, signal, STOP_GRACE_MS);
  if (setup.closeOnExit) await trader.closeAll();
  trader.persistState();
  const reason = trader.stopRequest ?? "stopped by signal";
  trader.stop(setup.closeOnExit ? `${reason}; position closed` : reason);
  setup.logger.info("Stopped cleanly");
}

/** Status `error` with the message, in the trader's row (or the bare row if it never opened). */
function recordFailure(
  config: InstanceConfig,
  at: { store: Store; opened: OpenedTrader | null; setup: TradeSetup; error: unknown },
): void {
  const message = errorMessage(at.error);
  try {
    if (at.opened !== null) {
      at.opened.trader.fail(message);
    } else {
      at.store.instances.update(config.name, {
        status: "error",
        statusReason: message,
        lastError: message,
        pid: Deno.pid,
      });
    }
  } catch { /* the DB itself may be the problem; the exit code still says so */ }
  at.setup.logger.error("Stopped with an error: {error}", { error: message });
}

if (import.meta.main) await runTask("trade", main);
