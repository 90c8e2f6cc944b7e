/**
 * runSweep on workers against the same jobs in this thread: the same metrics for every
 * combination, in job order, whether the workers were spawned (and warmed) early or by the sweep,
 * whether this thread runs combinations beside them or not, with jobs handed out in chunks to
 * workers that read the candles in shared memory and send back rows of numbers.
 */
import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { combinations } from "../backtest/sweep_grid.ts";
import { toColumns } from "../backtest/run_backtest.ts";
import { backtestConfig } from "../backtest/backtest_config.ts";
import type { SweepJob } from "../backtest/sweep_results.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import {
  BacktestWorkerError,
  runSweep,
  sharedColumns,
  spawnBacktestWorker,
  sweepWorkerCount,
  warmBacktestWorkers,
} from "./run_sweep.ts";
import { readMetricsRow, writeMetricsRow } from "../backtest/sweep_results.ts";
import type { Metrics } from "../backtest/metrics.ts";

const CONFIG = "name: sweep-test\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\n" +
  "strategy:\n  name: sma_cross\nrisk:\n  stake_pct: 100\n  stop_loss_pct: 4\n";

function jobs(): SweepJob[] {
  const axes = [
    { key: "strategy.params.fast", values: [3, 5, 8, 13, 21] },
    { key: "strategy.params.slow", values: [30, 50, 80, 130] },
  ];
  return combinations(axes).map((overrides) => ({
    overrides,
    config: parseInstanceConfig(CONFIG, { overrides }),
  }));
}

Deno.test("runSweep on workers gives each combination the metrics of a run in this thread", async () => {
  const candles = toColumns(loadSampleCandles("binance_BTC-USDT_1h.csv"));
  const grid = jobs();
  const here = await runSweep(grid, candles, { workers: 0 });
  const onWorkers = await runSweep(grid, candles, { workers: 2, thisThread: false });
  assert.deepEqual(onWorkers, here);
  assert.ok(here.some((result) => result.metrics.trades > 0));
  const early = [spawnBacktestWorker(), spawnBacktestWorker(), spawnBacktestWorker()];
  const shared = sharedColumns(candles);
  assert.equal(sharedColumns(shared), shared, "shared columns are passed on as they are");
  warmBacktestWorkers(early, grid[0].config, shared);
  const withSpawned = await runSweep(grid, shared, {
    workers: 2,
    spawned: early,
    thisThread: false,
  });
  assert.deepEqual(withSpawned, here);
  const withThisThread = await runSweep(grid, candles, { workers: 1 });
  assert.deepEqual(withThisThread, here);
  assert.deepEqual(await runSweep(grid, candles), here);
});

Deno.test("sweepWorkerCount leaves a core to this thread for built-ins and never exceeds the jobs", () => {
  const cores = navigator.hardwareConcurrency ?? 1;
  assert.equal(sweepWorkerCount(true, 1000), cores - 1);
  assert.equal(sweepWorkerCount(false, 1000), cores);
  assert.equal(sweepWorkerCount(true, 1), 0);
  assert.equal(sweepWorkerCount(false, 1), 1);
});

Deno.test("a combination that fails ends the sweep with its number, in this thread or a worker", async () => {
  const candles = toColumns(loadSampleCandles("binance_BTC-USDT_1h.csv"));
  const grid = jobs();
  const broken = (job: SweepJob): SweepJob => ({
    ...job,
    config: { ...job.config, strategy: { ...job.config.strategy, name: "no_such" } },
  });
  const fourth = grid.map((job, i) => i === 3 ? broken(job) : job);
  const failed = (number: string) => (error: Error) =>
    error instanceof BacktestWorkerError &&
    new RegExp(`^Cannot run backtest combination ${number}: .*no_such`).test(error.message);
  await assert.rejects(() => runSweep(fourth, candles, { workers: 0 }), failed("4"));
  await assert.rejects(
    () => runSweep(fourth, candles, { workers: 1, thisThread: false }),
    failed("4"),
  );
  // Every combination fails: whichever thread fails first ends the sweep.
  await assert.rejects(() => runSweep(grid.map(broken), candles, { workers: 1 }), failed("\\d+"));
});

Deno.test("a warm-up that fails leaves the worker's jobs as they were", async () => {
  const candles = sharedColumns(toColumns(loadSampleCandles("binance_BTC-USDT_1h.csv")));
  const grid = jobs().slice(0, 6);
  const here = await runSweep(grid, candles, { workers: 0 });
  const broken = { ...grid[0].config, strategy: { ...grid[0].config.strategy, name: "no_such" } };
  const early = [spawnBacktestWorker()];
  warmBacktestWorkers(early, broken, candles);
  assert.deepEqual(
    await runSweep(grid, candles, { workers: 1, spawned: early, thisThread: false }),
    here,
  );
});

Deno.test("metrics rows give back every metric bit for bit, nulls and -0 included", () => {
  const candles = toColumns(loadSampleCandles("binance_BTC-USDT_1h.csv"));
  const some = jobs().slice(0, 3).map((job) => backtestConfig(job.config, candles).metrics);
  const odd: Metrics = {
    ...some[0],
    sharpe: null,
    kelly: -0,
    equityPeak: -Infinity,
    feesPaid: NaN,
  };
  const all = [...some, odd];
  const rows = new Float64Array(all.length * 30);
  all.forEach((metrics, row) => writeMetricsRow(metrics, rows, row));
  all.forEach((metrics, row) => {
    const back = readMetricsRow(rows, row);
    assert.deepEqual(Object.keys(back), Object.keys(metrics));
    for (const key of Object.keys(metrics) as (keyof Metrics)[]) {
      assert.ok(Object.is(back[key], metrics[key]), `${key}: ${back[key]} vs ${metrics[key]}`);
    }
  });
});
