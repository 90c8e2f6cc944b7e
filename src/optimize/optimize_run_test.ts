/**
 * Walk-forward runs on the bundled BTC/USDT 1h candles (built-in sma_cross, run in this thread):
 * out-of-sample trades stay inside their test windows, each test window starts flat with the
 * previous one's balance, no fold's choice depends on candles after its train window, the trades
 * filter fails loudly, and seeded methods repeat themselves.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { toColumns } from "../backtest/run_backtest.ts";
import { parseSweep } from "../backtest/sweep_grid.ts";
import { type InstanceConfig, parseInstanceConfig } from "../config/mod.ts";
import type { Candle } from "../core/types.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { EvaluationPool } from "./evaluation_pool.ts";
import type { Objective } from "./objective.ts";
import { runOptimization } from "./optimize_run.ts";
import { NoEligibleTrialError, type OptimizeContext, type Trial } from "./optimize_window.ts";
import type { SearchSettings } from "./search_plan.ts";
import type { WalkForwardSpec } from "./walk_forward.ts";

const DAY = 86_400_000;
const CONFIG = `name: wf-test
exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  name: sma_cross
  params: { fast: 10, slow: 30 }
`;
const ALL = loadSampleCandles("binance_BTC-USDT_1h.csv");
/** About five months: enough for four 30-day folds after 60 days of training. */
const CANDLES = ALL.slice(0, 24 * 150);

function configFor(overrides: readonly string[]): InstanceConfig | null {
  try {
    return parseInstanceConfig(CONFIG, { overrides: [...overrides] });
  } catch {
    return null;
  }
}

interface RunSetup {
  readonly candles?: readonly Candle[];
  readonly walkForward?: WalkForwardSpec | null;
  readonly search?: SearchSettings;
  readonly objective?: Partial<Objective>;
  readonly sweeps?: readonly string[];
}

async function run(setup: RunSetup = {}) {
  const candles = setup.candles ?? CANDLES;
  const columns = toColumns(candles);
  const pool = new EvaluationPool(columns, { market: null, workers: 0 });
  const sweeps = setup.sweeps ?? ["strategy.params.fast=5..15:5", "strategy.params.slow=20..40:10"];
  const context: OptimizeContext = {
    axes: sweeps.map(parseSweep),
    objective: { metric: "sharpe", direction: "maximize", minTrades: 1, ...setup.objective },
    search: setup.search ?? { method: "grid", samples: 100, seed: 1 },
    pool,
    store: null,
    stored: new Map(),
    configFor,
    openTimeMs: columns.openTimeMs,
    pboSlices: 4,
    onTrial: () => {},
  };
  const range = {
    fromMs: candles[0].openTimeMs,
    toMs: candles[candles.length - 1].openTimeMs + 3_600_000,
  };
  try {
    return await runOptimization(context, {
      range,
      walkForward: setup.walkForward === undefined
        ? { trainMs: 60 * DAY, testMs: 30 * DAY, stepMs: 30 * DAY, anchored: false }
        : setup.walkForward,
      startBalance: 10_000,
      testConfig: (trial: Trial, balance: number) =>
        configFor([...trial.overrides, `account.balance=${balance}`])!,
    });
  } finally {
    pool.close();
  }
}

Deno.test("runOptimization keeps every OOS trade inside its test window and carries the balance", async () => {
  const result = await run();
  assert.equal(result.folds!.length, 3);
  let balance = 10_000;
  let trades = 0;
  for (const { fold, test } of result.folds!) {
    assert.ok(test.run.timesMs[0] >= fold.testFromMs);
    assert.ok(test.run.timesMs[test.run.timesMs.length - 1] < fold.testToMs);
    // Starts flat: the first candle's equity is the carried balance, before any trade.
    assert.equal(test.run.equity[0], balance);
    for (const trade of test.run.trades) {
      assert.ok(trade.entryTimeMs >= fold.testFromMs, "entry before the test window");
      assert.ok(trade.exitTimeMs < fold.testToMs, "exit after the test window");
    }
    trades += test.run.trades.length;
    balance = test.run.equity[test.run.equity.length - 1];
  }
  assert.ok(trades > 0);
  const oos = result.outOfSample!;
  assert.equal(oos.trades.length, trades);
  assert.equal(oos.equity[oos.equity.length - 1], balance);
  assert.equal(oos.metrics.equityFinal, balance);
  assert.ok(oos.timesMs.every((t, i) => i === 0 || t > oos.timesMs[i - 1]));
});

Deno.test("runOptimization with anchored folds trains on a growing window from the start", async () => {
  const result = await run({
    walkForward: { trainMs: 60 * DAY, testMs: 30 * DAY, stepMs: 30 * DAY, anchored: true },
  });
  const folds = result.folds!;
  folds.forEach(({ fold }, k) => {
    assert.equal(fold.trainFromMs, CANDLES[0].openTimeMs);
    if (k > 0) assert.ok(fold.trainToMs > folds[k - 1].fold.trainToMs);
  });
});

Deno.test("runOptimization: changing candles after a fold's train window never changes its choice", async () => {
  const base = await run();
  const chosen = base.folds!.map((f) => f.train.best.overrides.join(" "));
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 2 }),
      fc.double({ min: 0.5, max: 1.5, noNaN: true }),
      fc.integer({ min: 0, max: 1000 }),
      async (k, factor, seed) => {
        const cut = base.folds![k].fold.trainToMs;
        // Every candle from the train window's end on is rescaled with a wobble: a new future.
        const changed = CANDLES.map((c, i) => {
          if (c.openTimeMs < cut) return c;
          const f = factor * (1 + 0.02 * Math.sin(i * 0.1 + seed));
          return { ...c, open: c.open * f, high: c.high * f, low: c.low * f, close: c.close * f };
        });
        const result = await run({ candles: changed });
        for (let j = 0; j <= k; j++) {
          assert.equal(result.folds![j].train.best.overrides.join(" "), chosen[j], `fold ${j + 1}`);
        }
      },
    ),
    { numRuns: 6 },
  );
});

Deno.test("runOptimization fails with the best combination's trade count when none has enough", async () => {
  await assert.rejects(
    () => run({ walkForward: null, objective: { minTrades: 100_000 } }),
    (error: Error) => {
      assert.ok(error instanceof NoEligibleTrialError);
      assert.match(error.message, /none made at least 100000 trades.*made \d+$/);
      return true;
    },
  );
});

Deno.test("runOptimization repeats random and halving searches with the same seed", async () => {
  const sweeps = ["strategy.params.fast=4..20:2", "strategy.params.slow=20..60:10"];
  for (const method of ["random", "halving"] as const) {
    const once = await run({ walkForward: null, sweeps, search: { method, samples: 12, seed: 7 } });
    const again = await run({
      walkForward: null,
      sweeps,
      search: { method, samples: 12, seed: 7 },
    });
    const other = await run({
      walkForward: null,
      sweeps,
      search: { method, samples: 12, seed: 8 },
    });
    const tried = (r: typeof once) => r.full.trials.map((t) => t.overrides.join(" "));
    assert.deepEqual(tried(again), tried(once));
    assert.deepEqual(again.full.best.metrics, once.full.best.metrics);
    assert.equal(once.full.overfitting.trials, 12);
    if (method === "random") {
      assert.equal(once.full.trials.length, 12);
      assert.notDeepEqual(tried(other), tried(once));
    } else {
      // Twelve on the first ninth, four on the first third, two on all of it.
      assert.equal(once.full.trials.length, 2);
    }
  }
});
