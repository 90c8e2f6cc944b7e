/**
 * A whole optimisation: the search on the full range (what to deploy, with its overfitting
 * statistics) and, with walk-forward, per fold a search on the train window and one run of its
 * best on the test window, starting flat with the balance the previous test window ended with.
 */
import type { BacktestResult } from "../backtest/backtest_config.ts";
import { computeMetrics, type Metrics } from "../backtest/metrics.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { ClosedTrade } from "../core/types.ts";
import { type Fold, planFolds, type WalkForwardSpec } from "./walk_forward.ts";
import {
  type CandleWindow,
  indexAt,
  type OptimizeContext,
  optimizeWindow,
  type Trial,
  type WindowResult,
} from "./optimize_window.ts";

/** One fold's outcome. */
export interface FoldResult {
  readonly fold: Fold;
  readonly train: WindowResult;
  /** The test window's run of the train window's best. */
  readonly test: BacktestResult;
}

/** The stitched out-of-sample run. */
export interface OutOfSample {
  readonly metrics: Metrics;
  readonly timesMs: Float64Array;
  readonly equity: Float64Array;
  readonly closes: Float64Array;
  readonly trades: readonly ClosedTrade[];
}

/** Everything an optimisation found. */
export interface OptimizeResult {
  readonly full: WindowResult;
  readonly folds: readonly FoldResult[] | null;
  readonly outOfSample: OutOfSample | null;
  /** Annualised OOS return over the folds' mean annualised in-sample return. */
  readonly walkForwardEfficiency: number | null;
  /** Share of fold-to-fold transitions in which the best params stayed the same. */
  readonly parameterStability: number | null;
}

/** What `runOptimization` needs beyond the shared context. */
export interface RunOptions {
  readonly range: { fromMs: number; toMs: number };
  readonly walkForward: WalkForwardSpec | null;
  readonly startBalance: number;
  /** The validated config of a combination with extra overrides (the fold's balance). */
  readonly testConfig: (trial: Trial, balance: number) => InstanceConfig;
}

/** The folds a run will have (empty without walk-forward); throws on bad windows. */
export function foldsOf(options: Pick<RunOptions, "range" | "walkForward">): Fold[] {
  return options.walkForward === null ? [] : planFolds(options.walkForward, options.range);
}

/** Runs the optimisation. */
export async function runOptimization(
  context: OptimizeContext,
  options: RunOptions,
): Promise<OptimizeResult> {
  const folds = foldsOf(options);
  const full = await optimizeWindow(context, "full", windowOf(context, options.range));
  if (folds.length === 0) {
    return {
      full,
      folds: null,
      outOfSample: null,
      walkForwardEfficiency: null,
      parameterStability: null,
    };
  }
  const results: FoldResult[] = [];
  let balance = options.startBalance;
  for (let k = 0; k < folds.length; k++) {
    const fold = folds[k];
    const train = await optimizeWindow(
      context,
      `fold${k + 1}`,
      windowOf(context, { fromMs: fold.trainFromMs, toMs: fold.trainToMs }),
    );
    const test = windowOf(context, { fromMs: fold.testFromMs, toMs: fold.testToMs });
    let run: BacktestResult | undefined;
    await context.pool.run(
      [{ config: options.testConfig(train.best, balance), ...test }],
      (_, result) => run = result,
    );
    balance = run!.run.equity[run!.run.equity.length - 1];
    results.push({ fold, train, test: run! });
  }
  const outOfSample = stitch(results);
  return {
    full,
    folds: results,
    outOfSample,
    walkForwardEfficiency: efficiency(results, outOfSample),
    parameterStability: stability(results),
  };
}

function windowOf(context: OptimizeContext, range: { fromMs: number; toMs: number }): CandleWindow {
  return {
    fromIndex: indexAt(context.openTimeMs, range.fromMs),
    toIndex: indexAt(context.openTimeMs, range.toMs),
    fromMs: range.fromMs,
    toMs: range.toMs,
  };
}

/** The test windows' runs end to end, and their metrics as one run. */
function stitch(folds: readonly FoldResult[]): OutOfSample {
  const concat = (pick: (f: FoldResult) => Float64Array) => {
    const parts = folds.map(pick);
    const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  };
  const timesMs = concat((f) => f.test.run.timesMs);
  const equity = concat((f) => f.test.run.equity);
  const closes = concat((f) => f.test.run.closes);
  const trades = folds.flatMap((f) => f.test.run.trades);
  const metrics = computeMetrics({ timesMs, equity, closes, trades, warmupCandles: 0 });
  return { metrics, timesMs, equity, closes, trades };
}

function efficiency(folds: readonly FoldResult[], oos: OutOfSample): number | null {
  const inSample = folds.map((f) => f.train.best.metrics.returnAnnPct);
  if (inSample.some((v) => v === null) || oos.metrics.returnAnnPct === null) return null;
  const mean = (inSample as number[]).reduce((a, b) => a + b, 0) / inSample.length;
  return mean > 0 ? oos.metrics.returnAnnPct / mean : null;
}

function stability(folds: readonly FoldResult[]): number {
  let same = 0;
  for (let k = 1; k < folds.length; k++) {
    const a = folds[k - 1].train.best.overrides.join(" ");
    if (a === folds[k].train.best.overrides.join(" ")) same++;
  }
  return same / (folds.length - 1);
}
