/**
 * Sweep throughput: a 1,000-combination `sma_cross` grid on a year of 1h candles (the bundled
 * BTC/USDT sample), run by `runSweep` on every core (this thread and a worker per other core)
 * with the candles in shared memory, beside the same 1,000 combinations run one after another by
 * the hand loop in this thread. The first figure includes starting the workers; `_prestarted`
 * hands `runSweep` workers that loaded and warmed up beforehand, as `backtest --sweep` starts and
 * warms them while it validates the combinations. Each combination's trade count and final
 * equity are checked against the hand loop's.
 */
import {
  runSweep,
  sharedColumns,
  spawnBacktestWorker,
  sweepWorkerCount,
  warmBacktestWorkers,
} from "../../src/sandbox/run_sweep.ts";
import type { BacktestWorkerRequest } from "../../src/sandbox/backtest_worker.ts";
import { combinations } from "../../src/backtest/sweep_grid.ts";
import type { SweepJob, SweepResult } from "../../src/backtest/sweep_results.ts";
import { parseInstanceConfig } from "../../src/config/load_instance_config.ts";
import type { CandleColumns } from "../../src/core/types.ts";
import { type BenchContext, type BenchResult, bestTimeMs, rateResult } from "./harness.ts";
import { type LoopResult, loopSmaCross } from "./_engine_loops.ts";
import { parseSampleCsv } from "./engine_bench.ts";

const FEE_PCT = 0.1;
const CONFIG = "name: sweep-bench\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\n" +
  "strategy:\n  name: sma_cross\nrisk:\n  stake_pct: 100\n" +
  `execution:\n  fee_pct: ${FEE_PCT}\n  slippage_bps: 0\n`;

/** 50 fast × 20 slow periods: 1,000 combinations (`quick`: 10 × 10). */
function axes(quick: boolean) {
  const range = (from: number, count: number, step: number) =>
    Array.from({ length: count }, (_, k) => from + k * step);
  return [
    { key: "strategy.params.fast", values: quick ? range(5, 10, 5) : range(5, 50, 1) },
    { key: "strategy.params.slow", values: quick ? range(60, 10, 20) : range(60, 20, 10) },
  ];
}

/**
 * Times the sweep on every core and the hand loop in this thread; checks every combination.
 * `sample1hCsv` is the bundled 1h sample (binance_BTC-USDT_1h.csv), read by the task.
 */
export async function sweepBench(
  context: BenchContext,
  sample1hCsv: Uint8Array,
): Promise<BenchResult[]> {
  const candles = sharedColumns(parseSampleCsv(sample1hCsv));
  const jobs: SweepJob[] = combinations(axes(context.quick)).map((overrides) => ({
    overrides,
    config: parseInstanceConfig(CONFIG, { overrides }),
  }));
  const runs = context.quick ? 1 : 3;
  let results: SweepResult[] = [];
  const sweepMs = await bestTimeMsAsync(runs, async () => {
    results = await runSweep(jobs, candles);
  });
  // As `backtest --sweep` does: the workers start, load and warm up while the combinations are
  // validated (here they are all done before the clock starts).
  let prestartedMs = Infinity;
  for (let run = 0; run < runs; run++) {
    const workers = Array.from(
      { length: sweepWorkerCount(true, jobs.length) },
      () => spawnBacktestWorker(),
    );
    warmBacktestWorkers(workers, jobs[0].config, candles);
    await Promise.all(workers.map(loaded));
    const started = performance.now();
    results = await runSweep(jobs, candles, { spawned: workers });
    prestartedMs = Math.min(prestartedMs, performance.now() - started);
  }
  let loops: LoopResult[] = [];
  const loopMs = bestTimeMs(runs, () => {
    loops = jobs.map(({ config }) => {
      const { fast, slow } = config.strategy.params as { fast: number; slow: number };
      return loopSmaCross(candles, fast, slow, FEE_PCT / 100);
    });
  });
  checkAgainstLoops(jobs, results, loops, candles);
  const name = `sweep.sma_cross_${jobs.length}x${candles.length}_1h`;
  const loopRate = jobs.length / (loopMs / 1000);
  return [
    rateResult(name, "combinations/s", jobs.length / (sweepMs / 1000), loopRate),
    rateResult(
      `${name}_prestarted`,
      "combinations/s",
      jobs.length / (prestartedMs / 1000),
      loopRate,
    ),
  ];
}

/** Resolves once `worker` has loaded its code and warmed up: it answers an empty request. */
function loaded(worker: Worker): Promise<void> {
  const none = new Float64Array(0);
  const request: BacktestWorkerRequest = {
    module: null,
    candles: {
      length: 0,
      openTimeMs: none,
      open: none,
      high: none,
      low: none,
      close: none,
      volume: none,
    },
    market: null,
    jobs: [],
    want: "metrics",
  };
  return new Promise((resolve) => {
    worker.onmessage = () => resolve();
    worker.postMessage(request);
  });
}

async function bestTimeMsAsync(runs: number, fn: () => Promise<void>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * Every combination made the hand loop's trades (plus the end-of-run exit when it still held)
 * and ended within a millionth of its equity (the loop floors amounts in binary, the engine in
 * decimal); throws otherwise, so a fast wrong sweep never prints a figure.
 */
function checkAgainstLoops(
  jobs: readonly SweepJob[],
  results: readonly SweepResult[],
  loops: readonly LoopResult[],
  candles: CandleColumns,
): void {
  const lastClose = candles.close[candles.length - 1];
  jobs.forEach((job, i) => {
    const { metrics } = results[i];
    const loop = loops[i];
    const trades = loop.trades + (loop.base > 0 ? 1 : 0);
    const equity = loop.quote + loop.base * lastClose * (1 - FEE_PCT / 100);
    const off = Math.abs((metrics.equityFinal ?? NaN) - equity) / equity;
    if (metrics.trades !== trades || !(off < 1e-6)) {
      throw new Error(
        `sweep bench: ${job.overrides.join(" ")}: ${metrics.trades} trades, equity ` +
          `${metrics.equityFinal}; the hand loop ${trades}, ${equity}`,
      );
    }
  });
}
