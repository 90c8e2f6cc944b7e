/** Runs a parameter grid across Web Workers, one per core, and ranks the results. */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { MarketFacts } from "../risk/market_rules.ts";
import { backtestConfig } from "./backtest_config.ts";
import type { Metrics } from "./metrics.ts";
import type { CandleColumns } from "./run_backtest.ts";
import type { SweepWorkerMessage, SweepWorkerRequest } from "./sweep_worker.ts";

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

/** Options for `runSweep`. */
export interface SweepOptions {
  readonly market?: MarketFacts | null;
  /** Worker count; default one per core. 0 runs every job in this thread instead. */
  readonly workers?: number;
}

/** Backtests every job in workers; results come back in job order. */
export async function runSweep(
  jobs: readonly SweepJob[],
  candles: CandleColumns,
  options: SweepOptions = {},
): Promise<SweepResult[]> {
  const cores = options.workers ?? navigator.hardwareConcurrency ?? 1;
  if (cores === 0) {
    const market = options.market ?? null;
    return jobs.map((job) => ({
      overrides: job.overrides,
      metrics: backtestConfig(job.config, candles, { market }).metrics,
    }));
  }
  const count = Math.max(1, Math.min(cores, jobs.length));
  const metrics: (Metrics | undefined)[] = new Array(jobs.length);
  const runs: Promise<void>[] = [];
  for (let w = 0; w < count; w++) {
    // Interleaved so that slow regions of the grid spread over every worker.
    const mine = jobs.flatMap((job, index) =>
      index % count === w ? [{ index, config: job.config }] : []
    );
    runs.push(runWorker({ candles, market: options.market ?? null, jobs: mine }, metrics));
  }
  await Promise.all(runs);
  return jobs.map((job, index) => ({ overrides: job.overrides, metrics: metrics[index]! }));
}

function runWorker(request: SweepWorkerRequest, out: (Metrics | undefined)[]): Promise<void> {
  const worker = new Worker(new URL("./sweep_worker.ts", import.meta.url), { type: "module" });
  return new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<SweepWorkerMessage>) => {
      const message = event.data;
      if (message.kind === "result") out[message.index] = message.metrics;
      else if (message.kind === "error") {
        worker.terminate();
        reject(new Error(`Cannot run sweep combination ${message.index + 1}: ${message.message}`));
      } else {
        worker.terminate();
        resolve();
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(`Cannot run sweep worker: ${event.message}`));
    };
    worker.postMessage(request);
  });
}

/** Results best first by `key` (higher is better); nulls last, ties keep grid order. */
export function rankSweep(results: readonly SweepResult[], key: keyof Metrics): SweepResult[] {
  const score = (r: SweepResult) => r.metrics[key] ?? -Infinity;
  return results.map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => score(b) - score(a) || i - j)
    .map(([r]) => r);
}
