/**
 * `deno task backtest --config FILE`: one backtest (or a `--sweep` grid) on candles in the DB.
 * Only what a built-in backtest needs is imported up front; sweeps, the sandbox of user modules,
 * commander (for unusual command lines) and the report writers load when used, so the first
 * candle is read as early as possible.
 * `BACKTEST_TIMINGS=1` prints, on stderr, when the candles began and ended loading, the run was
 * done, the JSON and the HTML report were written and all was done (ms since the process started,
 * epoch ms and the resident set in MB at that moment), and the peak RSS: the bench reads it.
 */
import { backtestConfig } from "../src/backtest/backtest_config.ts";
import { loadBacktestCandles } from "../src/backtest/load_candles.ts";
import { formatTerminalReport } from "../src/backtest/report_terminal.ts";
import { storeBacktestRun } from "../src/backtest/store_run.ts";
import { checkCombinations, parseSweep } from "../src/backtest/sweep_grid.ts";
import { loadConfig } from "../src/app/load_config.ts";
import { readSettings } from "../src/config/mod.ts";
import { openStore } from "../src/storage/mod.ts";
import { openTimeBounds, resolveRange } from "./_backtest_range.ts";
import { runTask, writeErrorLine, writeLine } from "./_task_run.ts";
import { readBacktestArgs } from "./_backtest_args.ts";
import { readsVolume } from "../src/strategies/registry.ts";

/** Phase marks for `BACKTEST_TIMINGS=1`: [name, ms since process start, epoch ms, RSS MB]. */
const marks: [string, number, number, number][] = [];
function mark(name: string): void {
  marks.push([name, performance.now(), Date.now(), Deno.memoryUsage().rss / 1048576]);
}

async function main(args: string[]): Promise<void> {
  const options = await readBacktestArgs(args);
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
    const candles = loadBacktestCandles(store.candles, config, openTimeBounds({ fromMs, toMs }), {
      // A built-in that reads no volume leaves that column unloaded (untouched memory).
      skipVolume: loaded.host === null && !readsVolume(config.strategy.name),
    });
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
    // The report writers (HTML page, CSV) load only now: nothing before the run needs them.
    const { writeBacktestReports } = await import("./_backtest_reports.ts");
    const written = await writeBacktestReports(outcome.report, candles.columns, {
      json: options.json,
      html: options.html,
      csv: options.csv,
      name: config.name,
    }, mark);
    const saved = options.save
      ? `run #${storeBacktestRun(store.backtestRuns, outcome.report, Date.now())} saved; `
      : "";
    writeLine("");
    writeLine(`${saved}reports: ${written.join(", ")}`);
    mark("reports");
    if (Deno.env.get("BACKTEST_TIMINGS") === "1") {
      const timings = Object.fromEntries(marks.map(([n, ...t]) => [n, t]));
      // getrusage's ru_maxrss: this process's peak resident set, in KiB on Linux.
      const { default: process } = await import("node:process");
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      writeErrorLine(`timings ${JSON.stringify({ ...timings, peakRssMb })}`);
    }
  } finally {
    worker?.terminate();
    store.close();
  }
}

if (import.meta.main) await runTask("backtest", main);
