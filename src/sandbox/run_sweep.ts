/**
 * Backtests in sandboxed workers: a parameter grid across one worker per core, or one backtest
 * of a user module, with the whole engine loop inside the sandbox; and a user module's signal
 * streams for the strategy checks.
 */
import { backtestConfig, type BacktestOutcome, withReport } from "../backtest/backtest_config.ts";
import type { Metrics } from "../backtest/metrics.ts";
import type { CandleColumns } from "../backtest/run_backtest.ts";
import type { SweepJob, SweepResult } from "../backtest/sweep_results.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { TradingError } from "../core/errors.ts";
import type { MarketFacts } from "../risk/market_rules.ts";
import { StrategyRuntimeError } from "../strategy_runtime/checked_strategy.ts";
import type { SignalJob, SignalStream } from "../strategy_runtime/signal_stream.ts";
import type {
  BacktestJob,
  BacktestWorkerMessage,
  BacktestWorkerRequest,
  WorkerModule,
  WorkerRequest,
} from "./backtest_worker.ts";
import { PROJECT_ROOT, sandboxedWorkerOptions } from "./sandbox_permissions.ts";
import { StrategyLoadError } from "./strategy_host.ts";

/** Options for `runSweep`. */
export interface SweepOptions {
  readonly market?: MarketFacts | null;
  /** Worker count; default one per core. 0 runs built-in jobs in this thread instead. */
  readonly workers?: number;
  /**
   * Workers from `spawnBacktestWorker`, started early so that they load while the caller builds
   * the jobs; used first (new ones make up the count), all terminated when the sweep ends.
   */
  readonly spawned?: readonly Worker[];
}

/** A sandboxed backtest could not finish. */
export class BacktestWorkerError extends TradingError {}

/** The worker-side description of a config's user module, or null for a built-in. */
export function workerModule(
  config: InstanceConfig,
  root: URL = PROJECT_ROOT,
): WorkerModule | null {
  const path = config.strategy.module;
  if (path === undefined) return null;
  return { url: new URL(path, root).href, path, root: root.href };
}

/**
 * Backtests every job in workers; results come back in job order. The candles go to the workers
 * in shared memory (no copy); jobs go out in chunks, each worker asking for the next when done,
 * so every core stays busy to the end.
 */
export async function runSweep(
  jobs: readonly SweepJob[],
  candles: CandleColumns,
  options: SweepOptions = {},
): Promise<SweepResult[]> {
  const market = options.market ?? null;
  const module = jobs.length > 0 ? workerModule(jobs[0].config) : null;
  const cores = options.workers ?? navigator.hardwareConcurrency ?? 1;
  const spawned = [...(options.spawned ?? [])];
  if (cores === 0 && module === null) {
    for (const worker of spawned) worker.terminate();
    return jobs.map((job) => ({
      overrides: job.overrides,
      metrics: backtestConfig(job.config, candles, { market }).metrics,
    }));
  }
  const count = Math.max(1, Math.min(cores, jobs.length));
  for (const worker of spawned.splice(count)) worker.terminate();
  while (spawned.length < count) spawned.push(spawnBacktestWorker());
  const shared = sharedColumns(candles);
  const metrics: (Metrics | undefined)[] = new Array(jobs.length);
  const chunk = Math.max(1, Math.min(64, Math.ceil(jobs.length / (count * 8))));
  let next = 0;
  const feed = async (worker: Worker) => {
    try {
      while (next < jobs.length) {
        const from = next;
        next = Math.min(jobs.length, next + chunk);
        const mine = [];
        for (let index = from; index < next; index++) {
          mine.push({ index, config: jobs[index].config });
        }
        const request: BacktestWorkerRequest = {
          module,
          candles: shared,
          market,
          jobs: mine,
          want: "metrics",
        };
        await runWorker(
          request,
          (message) => {
            if (message.kind === "metrics") metrics[message.index] = message.metrics;
          },
          worker,
          { keep: true },
        );
      }
    } finally {
      worker.terminate();
    }
  };
  const runs = spawned.map(feed);
  try {
    await Promise.all(runs);
  } finally {
    // One worker's error ends the sweep: stop the others at their next chunk.
    next = jobs.length;
    await Promise.allSettled(runs);
  }
  return jobs.map((job, index) => ({ overrides: job.overrides, metrics: metrics[index]! }));
}

/**
 * Starts a sandboxed backtest worker now, so that it loads its code while the caller reads the
 * candles; hand it to `runSandboxedBacktest`.
 */
export function spawnBacktestWorker(): Worker {
  return new Worker(
    new URL("./backtest_worker.ts", import.meta.url),
    sandboxedWorkerOptions("backtest"),
  );
}

/** One backtest of a user module's config, run entirely inside the sandbox. */
export async function runSandboxedBacktest(
  config: InstanceConfig,
  candles: CandleColumns,
  options: Omit<BacktestJob, "index" | "config"> & {
    market?: MarketFacts | null;
    recordDecisions?: boolean;
    /** A worker from `spawnBacktestWorker`; default a new one. */
    worker?: Worker;
  } = {},
): Promise<BacktestOutcome> {
  let outcome: BacktestOutcome | undefined;
  await runWorker({
    module: workerModule(config),
    candles: sharedColumns(candles),
    market: options.market ?? null,
    jobs: [{ index: 0, config, fromMs: options.fromMs, toMs: options.toMs }],
    want: "outcome",
    recordDecisions: options.recordDecisions,
  }, (message) => {
    if (message.kind === "outcome") outcome = withReport(config, message.result);
  }, options.worker);
  return outcome!;
}

/**
 * The signal streams of a user module's config, one per job in job order, all run inside one
 * sandboxed worker (a fresh instance per job). A throw is recorded in its stream.
 */
export async function runSandboxedSignals(
  config: InstanceConfig,
  candles: CandleColumns,
  jobs: readonly SignalJob[],
): Promise<SignalStream[]> {
  const module = workerModule(config);
  if (module === null) {
    throw new BacktestWorkerError("Cannot run signals in the sandbox: the config names no module");
  }
  let streams: readonly SignalStream[] = [];
  const shared = sharedColumns(candles);
  await runWorker({ want: "signals", module, candles: shared, config, jobs }, (message) => {
    if (message.kind === "signals") streams = message.streams;
  });
  return [...streams];
}

/** Sends one request and collects its messages; the worker ends with it unless `keep`. */
function runWorker(
  request: WorkerRequest,
  onResult: (message: BacktestWorkerMessage) => void,
  worker: Worker = spawnBacktestWorker(),
  options: { keep?: boolean } = {},
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<BacktestWorkerMessage>) => {
      const message = event.data;
      if (message.kind === "error") {
        worker.terminate();
        reject(workerError(message));
      } else if (message.kind === "done") {
        if (!options.keep) worker.terminate();
        resolve();
      } else onResult(message);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new BacktestWorkerError(`Cannot run backtest worker: ${event.message}`));
    };
    worker.postMessage(request);
  });
}

function workerError(message: BacktestWorkerMessage & { kind: "error" }): Error {
  if (message.load) return new StrategyLoadError(`Cannot load strategy: ${message.message}`);
  if (message.candleTimeMs !== null) {
    return new StrategyRuntimeError(
      `Cannot run backtest: ${message.message}`,
      message.candleTimeMs,
    );
  }
  const which = message.index >= 0 ? ` combination ${message.index + 1}` : "";
  return new BacktestWorkerError(`Cannot run backtest${which}: ${message.message}`);
}

/**
 * The candles in shared memory, so that workers read them in place instead of each getting a
 * copy (48 MB for 1M candles); already shared columns are returned as they are.
 */
export function sharedColumns(candles: CandleColumns): CandleColumns {
  if (candles.openTimeMs.buffer instanceof SharedArrayBuffer) return candles;
  const n = candles.length;
  const buffer = new SharedArrayBuffer(n * 6 * Float64Array.BYTES_PER_ELEMENT);
  const column = (k: number, source: Float64Array) => {
    const shared = new Float64Array(buffer, k * n * Float64Array.BYTES_PER_ELEMENT, n);
    shared.set(source.subarray(0, n));
    return shared;
  };
  return {
    length: n,
    openTimeMs: column(0, candles.openTimeMs),
    open: column(1, candles.open),
    high: column(2, candles.high),
    low: column(3, candles.low),
    close: column(4, candles.close),
    volume: column(5, candles.volume),
  };
}
