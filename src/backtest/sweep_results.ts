/** Sweep jobs and results, their ranking, and the compact rows workers send them back in. */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { Metrics } from "./metrics.ts";

/** One combination to run: its overrides and the validated config they give. */
export interface SweepJob {
  readonly overrides: readonly string[];
  readonly config: InstanceConfig;
}

/** One finished combination. */
export interface SweepResult {
  readonly overrides: readonly string[];
  readonly metrics: Metrics;
}

/** Results best first by `key` (higher is better); nulls last, ties keep grid order. */
export function rankSweep(results: readonly SweepResult[], key: keyof Metrics): SweepResult[] {
  const score = (r: SweepResult) => r.metrics[key] ?? -Infinity;
  return results.map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => score(b) - score(a) || i - j)
    .map(([r]) => r);
}

// Every metric's column in a row; the type makes a new metric a compile error until it has one.
const COLUMNS: { readonly [K in keyof Metrics]-?: number } = {
  startMs: 0,
  endMs: 1,
  exposurePct: 2,
  equityFinal: 3,
  equityPeak: 4,
  feesPaid: 5,
  returnPct: 6,
  buyHoldReturnPct: 7,
  returnAnnPct: 8,
  volatilityAnnPct: 9,
  cagrPct: 10,
  sharpe: 11,
  sortino: 12,
  calmar: 13,
  maxDrawdownPct: 14,
  avgDrawdownPct: 15,
  maxDrawdownDurationMs: 16,
  avgDrawdownDurationMs: 17,
  trades: 18,
  winRatePct: 19,
  bestTradePct: 20,
  worstTradePct: 21,
  avgTradePct: 22,
  maxTradeDurationMs: 23,
  avgTradeDurationMs: 24,
  profitFactor: 25,
  expectancyPct: 26,
  sqn: 27,
  kelly: 28,
};
const KEYS = Object.keys(COLUMNS) as (keyof Metrics)[];
const NULLS = KEYS.length;

/** Numbers per metrics row: every metric, then a bit mask of the null ones. */
export const METRICS_ROW_LENGTH = NULLS + 1;

/** Writes `metrics` as row `row` of `rows`: each value as it is (bit for bit), nulls in a mask. */
export function writeMetricsRow(metrics: Metrics, rows: Float64Array, row: number): void {
  const at = row * METRICS_ROW_LENGTH;
  let nulls = 0;
  for (let k = 0; k < NULLS; k++) {
    const value = metrics[KEYS[k]];
    if (value === null) {
      nulls += 2 ** k;
      rows[at + k] = 0;
    } else rows[at + k] = value;
  }
  rows[at + NULLS] = nulls;
}

/** Row `row` of `rows` back as the metrics `writeMetricsRow` was given (same key order). */
export function readMetricsRow(rows: Float64Array, row: number): Metrics {
  const at = row * METRICS_ROW_LENGTH;
  const nulls = rows[at + NULLS];
  const metrics: Record<string, number | null> = {};
  for (let k = 0; k < NULLS; k++) {
    metrics[KEYS[k]] = Math.floor(nulls / 2 ** k) % 2 === 1 ? null : rows[at + k];
  }
  return metrics as unknown as Metrics;
}
