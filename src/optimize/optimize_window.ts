/**
 * One optimisation on one window of candles: evaluate the method's candidates (reusing stored
 * trials on `--resume`, storing new ones), then choose the best that made enough trades.
 */
import type { BacktestResult } from "../backtest/backtest_config.ts";
import type { Metrics } from "../backtest/metrics.ts";
import type { SweepAxis } from "../backtest/sweep_grid.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { TradingError } from "../core/errors.ts";
import { dailyEquity } from "./daily_equity.ts";
import type { EvaluationPool } from "./evaluation_pool.ts";
import { meetsMinTrades, type Objective, objectiveScore } from "./objective.ts";
import { type OverfittingStats, overfittingStats } from "./overfitting.ts";
import {
  HALVING_FRACTIONS,
  initialCandidates,
  type SearchSettings,
  survivors,
} from "./search_plan.ts";
import { type StoredTrial, trialKey, type TrialStore } from "./trial_store.ts";

/** No combination passed the trades filter: a runtime failure (exit 1), not bad input. */
export class NoEligibleTrialError extends TradingError {}

/** One evaluated combination. */
export interface Trial {
  readonly overrides: readonly string[];
  readonly params: Record<string, number>;
  readonly metrics: Metrics;
  readonly dailyEquity: Float64Array;
}

/** Candle indices [fromIndex, toIndex) with their times. */
export interface CandleWindow {
  readonly fromIndex: number;
  readonly toIndex: number;
  readonly fromMs: number;
  readonly toMs: number;
}

/** What every window's optimisation shares. */
export interface OptimizeContext {
  readonly axes: readonly SweepAxis[];
  readonly objective: Objective;
  readonly search: SearchSettings;
  readonly pool: EvaluationPool;
  readonly store: TrialStore | null;
  /** Trials stored by an interrupted run (`--resume`), by `trialKey`. */
  readonly stored: Map<string, StoredTrial>;
  /** The validated config of one combination, or null when it is invalid. */
  readonly configFor: (overrides: readonly string[]) => InstanceConfig | null;
  readonly openTimeMs: Float64Array;
  readonly pboSlices: number;
  /** Called after each evaluated (or reused) combination. */
  readonly onTrial: (stage: string, trial: Trial, best: Trial | null) => void;
}

/** The outcome of one window. */
export interface WindowResult {
  /** The trials on the whole window, in candidate order. */
  readonly trials: readonly Trial[];
  readonly best: Trial;
  readonly overfitting: OverfittingStats;
}

/** Optimises `window` under the stage name `stage` (used as the DB key and in messages). */
export async function optimizeWindow(
  context: OptimizeContext,
  stage: string,
  window: CandleWindow,
): Promise<WindowResult> {
  const { search, objective } = context;
  let candidates = initialCandidates(context.axes, search).filter((o) =>
    context.configFor(o) !== null
  );
  const tried = candidates.length;
  let trials: Trial[] = [];
  const fractions = search.method === "halving" ? HALVING_FRACTIONS : [1];
  for (let rung = 0; rung < fractions.length; rung++) {
    const last = rung === fractions.length - 1;
    const toMs = window.fromMs + fractions[rung] * (window.toMs - window.fromMs);
    const sub = last ? window : { ...window, toMs, toIndex: indexAt(context.openTimeMs, toMs) };
    const name = last ? stage : `${stage}/rung${rung}`;
    trials = await evaluate(context, name, candidates, sub);
    if (!last) {
      const keep = survivors(trials.length);
      const ranked = trials.map((t, i) => [objectiveScore(objective, t.metrics), i] as const)
        .sort(([a, i], [b, j]) => b - a || i - j).slice(0, keep).map(([, i]) => i)
        .sort((a, b) => a - b);
      candidates = ranked.map((i) => trials[i].overrides as string[]);
    }
  }
  const best = chooseBest(objective, trials, stage);
  const chosen = trials.indexOf(best);
  const overfitting = overfittingStats(trials.map((t) => t.dailyEquity), chosen, {
    tried,
    slices: context.pboSlices,
  });
  return { trials, best, overfitting };
}

/** The best trial by the objective among those with enough trades; ties keep the first. */
export function chooseBest(objective: Objective, trials: readonly Trial[], stage: string): Trial {
  let best: Trial | null = null;
  let bestAny: Trial | null = null;
  for (const trial of trials) {
    const score = objectiveScore(objective, trial.metrics);
    if (bestAny === null || score > objectiveScore(objective, bestAny.metrics)) bestAny = trial;
    if (!meetsMinTrades(objective, trial.metrics)) continue;
    if (best === null || score > objectiveScore(objective, best.metrics)) best = trial;
  }
  if (best === null) {
    const detail = bestAny === null
      ? "no valid combination"
      : `the best by ${objective.metric} (${
        bestAny.overrides.join(" ")
      }) made ${bestAny.metrics.trades}`;
    throw new NoEligibleTrialError(
      `Cannot choose the best combination (${stage}): none made at least ${objective.minTrades} ` +
        `trades (--min-trades); ${detail}`,
    );
  }
  return best;
}

async function evaluate(
  context: OptimizeContext,
  stage: string,
  candidates: readonly (readonly string[])[],
  window: CandleWindow,
): Promise<Trial[]> {
  const trials: (Trial | undefined)[] = new Array(candidates.length);
  let best: Trial | null = null;
  const record = (index: number, trial: Trial) => {
    trials[index] = trial;
    if (
      meetsMinTrades(context.objective, trial.metrics) &&
      (best === null ||
        objectiveScore(context.objective, trial.metrics) >
          objectiveScore(context.objective, best.metrics))
    ) best = trial;
    context.onTrial(stage, trial, best);
  };
  const pending: number[] = [];
  candidates.forEach((overrides, index) => {
    const stored = context.stored.get(trialKey(stage, overrides.join(" ")));
    if (stored === undefined) pending.push(index);
    else record(index, makeTrial(overrides, JSON.parse(stored.metricsJson), stored.dailyEquity));
  });
  const jobs = pending.map((index) => ({
    config: context.configFor(candidates[index])!,
    fromIndex: window.fromIndex,
    toIndex: window.toIndex,
  }));
  await context.pool.run(jobs, (j, result: BacktestResult) => {
    const index = pending[j];
    const overrides = candidates[index];
    const daily = dailyEquity(result.run.timesMs, result.run.equity);
    const metricsJson = JSON.stringify(result.metrics);
    context.store?.save(stage, overrides.join(" "), { metricsJson, dailyEquity: daily });
    // Parsed back from the stored JSON, so a resumed run sees exactly the same numbers.
    record(index, makeTrial(overrides, JSON.parse(metricsJson), daily));
  });
  return trials as Trial[];
}

function makeTrial(
  overrides: readonly string[],
  metrics: Metrics,
  daily: Float64Array,
): Trial {
  return { overrides, params: paramsOf(overrides), metrics, dailyEquity: daily };
}

/** `["a.b=5", "c=0.5"]` as `{ "a.b": 5, c: 0.5 }`. */
export function paramsOf(overrides: readonly string[]): Record<string, number> {
  const params: Record<string, number> = {};
  for (const item of overrides) {
    const eq = item.indexOf("=");
    params[item.slice(0, eq)] = Number(item.slice(eq + 1));
  }
  return params;
}

/** The first index whose open time is at or after `timeMs`. */
export function indexAt(openTimeMs: ArrayLike<number>, timeMs: number): number {
  let lo = 0;
  let hi = openTimeMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (openTimeMs[mid] < timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
