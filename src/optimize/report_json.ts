/** The JSON report of an optimisation; times are epoch ms. */
import type { Metrics } from "../backtest/metrics.ts";
import type { SweepAxis } from "../backtest/sweep_grid.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { Objective, ObjectiveMetric } from "./objective.ts";
import type { OptimizeResult } from "./optimize_run.ts";
import type { SearchSettings } from "./search_plan.ts";

/** What the report describes besides the result. */
export interface OptimizeReportInput {
  readonly config: InstanceConfig;
  readonly axes: readonly SweepAxis[];
  readonly objective: Objective;
  readonly search: SearchSettings;
  readonly result: OptimizeResult;
}

/** The report as a plain JSON value. */
export interface OptimizeReport {
  config: InstanceConfig;
  space: Record<string, number[]>;
  objective: { metric: ObjectiveMetric; direction: string; minTrades: number };
  method: { name: string; samples?: number; seed?: number };
  trials: { params: Record<string, number>; metrics: Metrics }[];
  best: { params: Record<string, number>; metrics: Metrics };
  folds?: {
    trainFrom: number;
    trainTo: number;
    testFrom: number;
    testTo: number;
    bestParams: Record<string, number>;
    inSample: { metrics: Metrics };
    outOfSample: { metrics: Metrics };
  }[];
  outOfSample?: { metrics: Metrics; equity: [number, number][] };
  walkForwardEfficiency: number | null;
  overfitting: { deflatedSharpe: number | null; pbo: number | null; trials: number };
}

/** Builds the report. */
export function buildOptimizeReport(input: OptimizeReportInput): OptimizeReport {
  const { result, search } = input;
  const report: OptimizeReport = {
    config: input.config,
    space: Object.fromEntries(input.axes.map((axis) => [axis.key, [...axis.values]])),
    objective: {
      metric: input.objective.metric,
      direction: input.objective.direction,
      minTrades: input.objective.minTrades,
    },
    method: search.method === "grid"
      ? { name: "grid" }
      : { name: search.method, samples: search.samples, seed: search.seed },
    trials: result.full.trials.map((t) => ({ params: t.params, metrics: t.metrics })),
    best: { params: result.full.best.params, metrics: result.full.best.metrics },
    walkForwardEfficiency: result.walkForwardEfficiency,
    overfitting: {
      deflatedSharpe: result.full.overfitting.deflatedSharpe,
      pbo: result.full.overfitting.pbo,
      trials: result.full.overfitting.trials,
    },
  };
  if (result.folds !== null && result.outOfSample !== null) {
    report.folds = result.folds.map(({ fold, train, test }) => ({
      trainFrom: fold.trainFromMs,
      trainTo: fold.trainToMs,
      testFrom: fold.testFromMs,
      testTo: fold.testToMs,
      bestParams: train.best.params,
      inSample: { metrics: train.best.metrics },
      outOfSample: { metrics: test.metrics },
    }));
    const { timesMs, equity } = result.outOfSample;
    report.outOfSample = {
      metrics: result.outOfSample.metrics,
      equity: Array.from(timesMs, (t, i) => [t, equity[i]] as [number, number]),
    };
  }
  return report;
}
