/** The optimisation objective: a report metric, maximised or minimised, and the trades filter. */
import type { Metrics } from "../backtest/metrics.ts";
import { closestMatch } from "../config/did_you_mean.ts";
import { InputError } from "../core/errors.ts";

/** Metrics an optimisation may rank by. */
export const OBJECTIVE_METRICS = [
  "sharpe",
  "sortino",
  "calmar",
  "returnPct",
  "returnAnnPct",
  "cagrPct",
  "profitFactor",
  "sqn",
  "expectancyPct",
  "winRatePct",
  "avgTradePct",
  "equityFinal",
  "maxDrawdownPct",
  "volatilityAnnPct",
  "exposurePct",
  "kelly",
  "trades",
] as const satisfies readonly (keyof Metrics)[];

/** One objective metric. */
export type ObjectiveMetric = (typeof OBJECTIVE_METRICS)[number];

/** What is optimised. */
export interface Objective {
  readonly metric: ObjectiveMetric;
  readonly direction: "maximize" | "minimize";
  /** Combinations with fewer trades cannot be best. */
  readonly minTrades: number;
}

/** Reads an objective name; unknown names get a one-line `InputError` with "did you mean". */
export function parseObjectiveMetric(name: string, source = "--objective"): ObjectiveMetric {
  const metric = OBJECTIVE_METRICS.find((m) => m === name);
  if (metric !== undefined) return metric;
  const match = closestMatch(name, OBJECTIVE_METRICS);
  throw new InputError(
    `Cannot read ${source}: unknown objective "${name}"; ` +
      (match ? `did you mean "${match}"?` : `use one of ${OBJECTIVE_METRICS.join(", ")}`),
  );
}

/** The score of metrics: higher is better; a missing value scores -Infinity. */
export function objectiveScore(objective: Objective, metrics: Metrics): number {
  const value = metrics[objective.metric];
  if (value === null || !Number.isFinite(value)) return -Infinity;
  return objective.direction === "maximize" ? value : -value;
}

/** Whether a combination made enough trades to be chosen. */
export function meetsMinTrades(objective: Objective, metrics: Metrics): boolean {
  return metrics.trades >= objective.minTrades;
}
