/**
 * `deno task backtest --config FILE`: one backtest (or a `--sweep` grid) on candles in the DB.
 * Only what a built-in backtest needs is imported up front; sweeps and the sandbox of user
 * modules load when used, so the first candle is read as early as possible.
 * `BACKTEST_TIMINGS=1` prints, on stderr, when the candles began and ended loading, the run was
 * done and the reports were written (ms since the process started, and epoch ms), and the peak
 * RSS: the bench reads it.
 */
import process from "node:process";
import { backtestConfig } from "../src/backtest/backtest_config.ts";
import { loadBacktestCandles } from "../src/backtest/load_candles.ts";
import { formatTerminalReport } from "../src/backtest/report_terminal.ts";
import { storeBacktestRun } from "../src/backtest/store_run.ts";
import {
  checkCombinations,
  DEFAULT_MAX_COMBINATIONS,
  parseSweep,
} from "../src/backtest/sweep_grid.ts";
import { loadConfig } from "../src/app/load_config.ts";
import { readSettings } from "../src/config/mod.ts";
import { InputError } from "../src/core/errors.ts";
import { openStore } from "../src/storage/mod.ts";
import { openTimeBounds, resolveRange } from "./_backtest_range.ts";
import { newCommand, runTask, writeErrorLine, writeLine } from "./_cli.ts";
import { REPORT_DIR, writeBacktestReports } from "./_backtest_reports.ts";

/** Phase marks for `BACKTEST_TIMINGS=1`: [name, ms since process start, epoch ms]. */
const marks: [string, number, number][] = [];
function mark(name: string): void {
  marks.push([name, performance.now(), Date.now()]);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(
      `Cannot read --max-combinations: must be a positive integer (got "${text}")`,
    );
  }
  return value;
}

async function main(args: string[]): Promise<void> {
  const program = newCommand(
    "backtest",
    "Backtest one config on stored candles and write its reports",
  )
    .requiredOption("--config <file>", "instance config (config/strategies/*.yaml)")
    .option("--from <date>", "first candle, YYYY-MM-DD or ISO 8601 UTC (default: backtest.from)")
    .option("--to <date>", "end of the range, exclusive (default: backtest.to, else all data)")
    .option("--json <file>", `JSON report (default ${REPORT_DIR}/<name>.json)`)
    .option("--html <file>", `HTML report (default ${REPORT_DIR}/<name>.html)`)
    .option("--csv <file>", "CSV of the trades")
    .option("--set <key=value>", "override a config key (repeatable)", collect, [] as string[])
    .option(
      "--sweep <key=from..to:step>",
      "sweep a key over a grid (repeatable)",
      collect,
      [] as string[],
    )
    .option(
      "--max-combinations <n>",
      "largest sweep allowed",
      positiveInt,
      DEFAULT_MAX_COMBINATIONS,
    )
    .option("--rank-by <metric>", "sweep ranking metric, higher is better", "returnPct")
    .option("--no-save", "do not store the run in backtest_runs");
  await program.parseAsync(args, { from: "user" });
  const options = program.opts();
  using loaded = await loadConfig(options.config, { overrides: options.set });
  const config = loaded.config;
  const axes = options.sweep.map(parseSweep);
  if (axes.length > 0) checkCombinations(axes, options.maxCombinations);
  const { fromMs, toMs } = resolveRange(config, options);
  const store = openStore(readSettings(Deno.env.toObject()).databaseUrl);
  // A user module's sandbox starts loading now, while the candles are read.
  const sandbox = loaded.host !== null && axes.length === 0
    ? await import("../src/sandbox/run_sweep.ts")
    : undefined;
  const worker = sandbox?.spawnBacktestWorker();
  try {
    const market = store.markets.get(config.exchange, config.symbol);
    mark("ready");
    const candles = loadBacktestCandles(store.candles, config, openTimeBounds({ fromMs, toMs }));
    mark("candles");
    if (axes.length > 0) {
      const { runSweepTask } = await import("./_backtest_sweep.ts");
      const sweep = {
        configPath: options.config,
        sets: options.set,
        axes,
        candles: candles.columns,
        market,
        catalog: loaded.catalog,
      };
      await runSweepTask({ ...sweep, rankBy: options.rankBy });
      return;
    }
    // A user module runs its whole backtest inside the sandbox; a built-in runs here.
    const outcome = sandbox === undefined
      ? backtestConfig(config, candles.columns, { market, fromMs, toMs })
      : await sandbox.runSandboxedBacktest(config, candles.columns, {
        market,
        fromMs,
        toMs,
        worker,
      });
    mark("run");
    const color = Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
    for (const line of formatTerminalReport(outcome.report, { color, gaps: candles.gaps })) {
      writeLine(line);
    }
    const written = await writeBacktestReports(outcome.report, candles.columns, {
      json: options.json,
      html: options.html,
      csv: options.csv,
      name: config.name,
    });
    const saved = options.save
      ? `run #${storeBacktestRun(store.backtestRuns, outcome.report, Date.now())} saved; `
      : "";
    writeLine("");
    writeLine(`${saved}reports: ${written.join(", ")}`);
    mark("reports");
    if (Deno.env.get("BACKTEST_TIMINGS") === "1") {
      const timings = Object.fromEntries(marks.map(([n, ...t]) => [n, t]));
      // getrusage's ru_maxrss: this process's peak resident set, in KiB on Linux.
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      writeErrorLine(`timings ${JSON.stringify({ ...timings, peakRssMb })}`);
    }
  } finally {
    worker?.terminate();
    store.close();
  }
}

if (import.meta.main) await runTask("backtest", main);
