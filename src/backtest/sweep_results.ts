/** Sweep jobs and results, and their ranking. Running them is the sandbox's job. */
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
