/**
 * `deno task replay --config FILE [--from DATE] [--to DATE] [--pace-ms N]`: the live loop (order
 * manager, DB writes, heartbeats) over stored candles with a simulated clock. Its trades equal
 * `backtest`'s on the same range. `--pace-ms` sleeps between candles so a dashboard can watch.
 */
import { type InstanceConfig, parseConfigDate, readSettings } from "../src/config/mod.ts";
import { SystemClock } from "../src/core/clock.ts";
import { InputError } from "../src/core/errors.ts";
import { getLogger, setupLogging, shutdownLogging } from "../src/logging/mod.ts";
import { openStore } from "../src/storage/mod.ts";
import { loadConfig } from "../src/app/load_config.ts";
import { replayConfig } from "../src/app/replay_config.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";

function parseDate(option: string, text: string | null | undefined): number | undefined {
  if (text === undefined || text === null) return undefined;
  const timeMs = /^\d+$/.test(text) ? Number(text) : parseConfigDate(text);
  if (Number.isNaN(timeMs)) {
    throw new InputError(
      `Cannot read ${option}: not a date (got "${text}"; use YYYY-MM-DD or ISO 8601)`,
    );
  }
  return timeMs;
}

function nonNegativeInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new InputError(`Cannot read --pace-ms: must be a whole number of ms ≥ 0 (got "${text}")`);
  }
  return value;
}

/** `--from`/`--to` win over the config's `backtest` section, as in `backtest`; `to` is exclusive. */
function resolveRange(config: InstanceConfig, options: { from?: string; to?: string }) {
  const fromMs = parseDate("--from", options.from ?? config.backtest.from);
  const toMs = parseDate("--to", options.to ?? config.backtest.to);
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw new InputError(`Cannot run replay: --from is not before --to`);
  }
  return { fromMs, toMs };
}

/** The command line, parsed. */
async function parseArgs(args: string[]) {
  const program = newCommand(
    "replay",
    "Run the live loop over stored candles with a simulated clock",
  )
    .requiredOption("--config <file>", "instance config (config/strategies/*.yaml)")
    .option("--from <date>", "first candle, YYYY-MM-DD or ISO 8601 UTC (default: backtest.from)")
    .option("--to <date>", "end of the range, exclusive (default: backtest.to, else all data)")
    .option(
      "--pace-ms <n>",
      "sleep this long between candles (for watching the dashboard)",
      nonNegativeInt,
      0,
    )
    .option("--instance <name>", "instance name in the DB (default: <config name>-replay)");
  await program.parseAsync(args, { from: "user" });
  return program.opts();
}

async function main(args: string[]): Promise<void> {
  const options = await parseArgs(args);
  using loaded = await loadConfig(options.config);
  const config = loaded.config;
  const { fromMs, toMs } = resolveRange(config, options);
  const settings = readSettings(Deno.env.toObject());
  const instance = options.instance ?? `${config.name}-replay`.slice(0, 64);
  setupLogging({ name: instance, logDir: settings.logDir, level: settings.logLevel });
  const controller = new AbortController();
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  const store = openStore(settings.databaseUrl);
  try {
    const summary = await replayConfig(config, {
      store,
      strategy: loaded.createStrategy(config),
      fromMs,
      toMs,
      instance,
      paceMs: options.paceMs,
      wallClock: new SystemClock(),
      logger: getLogger(["replay", instance]),
      pid: Deno.pid,
      signal: controller.signal,
    });
    writeLine(
      `replay ${instance}: ${summary.candles} candles, ${summary.trades} trades, ` +
        `pnl ${summary.pnlQuote.toFixed(2)}, equity ${summary.equityQuote?.toFixed(2)}${
          summary.stopped ? " (interrupted)" : ""
        }`,
    );
  } finally {
    Deno.removeSignalListener("SIGTERM", stop);
    Deno.removeSignalListener("SIGINT", stop);
    store.close();
    await shutdownLogging();
  }
}

if (import.meta.main) await runTask("replay", main);
