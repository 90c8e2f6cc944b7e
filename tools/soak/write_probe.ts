/**
 * The soak's writer probe: a `BEGIN IMMEDIATE` write to the shared DB (a `rate_budget` row of its
 * own bucket) every `intervalMs`, timed around the synchronous call, so the figure includes the
 * wait for other processes' write locks. `write_probe_main.ts` runs it as its own process.
 */
import { errorMessage } from "../../src/core/errors.ts";
import type { Store } from "../../src/storage/store.ts";

/** What the probe measured. */
export interface ProbeResult {
  /** Latency of each write in ms, in order. */
  readonly latenciesMs: number[];
  /** Messages of failed writes. */
  readonly errors: string[];
}

/** Writes every `intervalMs` until `signal` aborts. */
export async function runWriteProbe(
  store: Store,
  options: { intervalMs: number; signal: AbortSignal },
): Promise<ProbeResult> {
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  while (!options.signal.aborted) {
    const startMs = performance.now();
    try {
      store.rateBudget.reserve({
        bucket: "soak:write-probe",
        cost: 0,
        nowMs: Date.now(),
        refillPerMs: 1,
        capacity: 1,
      });
      latenciesMs.push(performance.now() - startMs);
    } catch (error) {
      errors.push(errorMessage(error));
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  return { latenciesMs, errors };
}

/** The `p`-th percentile (0..100) by nearest rank; null for no samples. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
