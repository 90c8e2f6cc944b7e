/**
 * runSweep on workers against the same jobs in this thread: the same metrics for every
 * combination, in job order, whether the workers were spawned early or by the sweep, with jobs
 * handed out in chunks to workers that read the candles in shared memory.
 */
import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { combinations } from "../backtest/sweep_grid.ts";
import { toColumns } from "../backtest/run_backtest.ts";
import type { SweepJob } from "../backtest/sweep_results.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { runSweep, sharedColumns, spawnBacktestWorker } from "./run_sweep.ts";

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
  const onWorkers = await runSweep(grid, candles, { workers: 2 });
  assert.deepEqual(onWorkers, here);
  assert.ok(here.some((result) => result.metrics.trades > 0));
  const early = [spawnBacktestWorker(), spawnBacktestWorker(), spawnBacktestWorker()];
  const shared = sharedColumns(candles);
  assert.equal(sharedColumns(shared), shared, "shared columns are passed on as they are");
  const withSpawned = await runSweep(grid, shared, { workers: 2, spawned: early });
  assert.deepEqual(withSpawned, here);
});
