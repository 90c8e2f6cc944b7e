/**
 * Backtests in sandboxed workers: a parameter grid across the cores (a built-in's also in this
 * thread, a user module's only in workers), or one backtest of a user module, with the whole
 * engine loop inside the sandbox; and a user module's signal streams for the strategy checks.
 */
import { type BacktestOutcome, runConfig, withReport } from "../backtest/backtest_config.ts";
import type { Metrics } from "../backtest/metrics.ts";
import type { CandleColumns } from "../backtest/run_backtest.ts";
import {
  METRICS_ROW_LENGTH,
  readMetricsRow,
  type SweepJob,
  type SweepResult,
} from "../backtest/sweep_results.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { TradingError } from "../core/errors.ts";
import type { MarketFacts } from "../risk/market_rules.ts";
import { StrategyRuntimeError } from "../strategy_runtime/checked_strategy.ts";
import type { SignalJob, SignalStream } from "../strategy_runtime/signal_stream.ts";
import type {
  BacktestJob,
  BacktestWorkerMessage,
  SweepWorkerRequest,
  WarmWorkerRequest,
  WorkerModule,
  WorkerRequest,
} from "./backtest_worker.ts";
import { PROJECT_ROOT, sandboxedWorkerOptions } from "./sandbox_permissions.ts";
import { StrategyLoadError } from "./strategy_host.ts";

/** Options for `runSweep`. */
export interface SweepOptions {
  readonly market?: MarketFacts | null;
  /**
   * Worker count; default `sweepWorkerCount`. 0 with a built-in strategy runs every combination
   * in this thread; a user module always gets at least one worker.
   */
  readonly workers?: number;
  /**
   * Built-in strategies only: this thread runs combinations too, a couple at a time between the
   * workers' messages, from the start (while the workers load) to the end. Default true.
   */
  readonly thisThread?: boolean;
  /**
   * Workers from `spawnBacktestWorker`, started early so that they load while the caller builds
   * the jobs; used first (new ones make up the count), all terminated when the sweep ends.
   */
  readonly spawned?: readonly Worker[];
}

/**
 * Workers a sweep of `combinations` uses by default: one per core for a user module (it runs only
 * in the sandbox); one fewer for a built-in, as this thread runs combinations too (each worker
 * costs a start and its own warm-up of the engine's code, so a thread more than the cores is a
 * loss). Never more than the combinations this thread leaves.
 */
export function sweepWorkerCount(builtin: boolean, combinations: number): number {
  const cores = navigator.hardwareConcurrency ?? 1;
  return builtin
    ? Math.max(0, Math.min(cores - 1, combinations - 1))
    : Math.max(1, Math.min(cores, combinations));
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
 * Backtests every job; results come back in job order. A user module's jobs run in sandboxed
 * workers only; a built-in's also in this thread. The candles go to the workers in shared memory
 * (no copy); jobs go out in chunks, two per worker at a time so that a worker never waits for
 * the next, and each chunk comes back as one array of metrics rows.
 */
export async function runSweep(
  jobs: readonly SweepJob[],
  candles: CandleColumns,
  options: SweepOptions = {},
): Promise<SweepResult[]> {
  const market = options.market ?? null;
  const module = jobs.length > 0 ? workerModule(jobs[0].config) : null;
  const builtin = module === null;
  const spawned = [...(options.spawned ?? [])];
  let count = Math.min(options.workers ?? sweepWorkerCount(builtin, jobs.length), jobs.length);
  if (!builtin) count = Math.max(1, count);
  for (const worker of spawned.splice(count)) worker.terminate();
  const metrics: (Metrics | undefined)[] = new Array(jobs.length);
  let next = 0;
  const here = builtin && (count === 0 || (options.thisThread ?? true));
  // This thread runs combinations for about a slice at a time, then lets the workers' messages in
  // (each worker holds a second chunk meanwhile, so none waits for it).
  const runHere = async () => {
    const events = otherEvents();
    try {
      while (next < jobs.length) {
        const until = performance.now() + SLICE_MS;
        do {
          const index = next++;
          metrics[index] = runHereOne(jobs[index].config, candles, market, index);
        } while (next < jobs.length && (count === 0 || performance.now() < until));
        if (count > 0) await events.next();
      }
    } finally {
      events.close();
    }
  };
  if (count === 0) {
    await runHere();
    return jobs.map((job, index) => ({ overrides: job.overrides, metrics: metrics[index]! }));
  }
  const shared = sharedColumns(candles);
  while (spawned.length < count) spawned.push(spawnBacktestWorker());
  const threads = count + (here ? 1 : 0);
  // Chunks shrink as the jobs run out, so that the threads finish together.
  const take = (): SweepWorkerRequest | null => {
    if (next >= jobs.length) return null;
    const from = next;
    const chunk = Math.min(CHUNK_MAX, Math.ceil((jobs.length - from) / (threads * 4)));
    next = Math.min(jobs.length, next + chunk);
    const configs = [];
    for (let index = from; index < next; index++) configs.push(jobs[index].config);
    return { want: "sweep", module, candles: shared, market, from, configs };
  };
  const onRows = (from: number, rows: Float64Array) => {
    const n = rows.length / METRICS_ROW_LENGTH;
    for (let k = 0; k < n; k++) metrics[from + k] = readMetricsRow(rows, k);
  };
  const runs = spawned.map((worker) => sweepOn(worker, take, onRows));
  if (here) runs.push(runHere());
  try {
    await Promise.all(runs);
  } finally {
    // One failure ends the sweep: the others stop after the chunks they hold.
    next = jobs.length;
    await Promise.allSettled(runs);
    for (const worker of spawned) worker.terminate();
  }
  return jobs.map((job, index) => ({ overrides: job.overrides, metrics: metrics[index]! }));
}

/** Candles a warm-up runs over: the first 1,000, a tenth of a 1h year. */
const WARM_CANDLES = 1_000;
/** Jobs a worker gets at most in one message. */
const CHUNK_MAX = 16;
/** Milliseconds this thread runs combinations before it handles the workers' messages. */
const SLICE_MS = 2;

/** A built-in combination in this thread; a failure reads as a worker's would. */
function runHereOne(
  config: InstanceConfig,
  candles: CandleColumns,
  market: MarketFacts | null,
  index: number,
): Metrics {
  try {
    return runConfig(config, candles, { market }).metrics;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new BacktestWorkerError(`Cannot run backtest combination ${index + 1}: ${message}`, {
      cause: error,
    });
  }
}

/**
 * Lets the events already queued (worker messages) run: `next()` resolves after them, with no
 * timer clamping. One channel for the whole sweep (a fresh one per call costs about 5 times more);
 * `close` when done.
 */
function otherEvents(): { next(): Promise<void>; close(): void } {
  const channel = new MessageChannel();
  let resolve = () => {};
  channel.port1.onmessage = () => resolve();
  return {
    next: () =>
      new Promise<void>((done) => {
        resolve = done;
        channel.port2.postMessage(null);
      }),
    close: () => channel.port1.close(),
  };
}

/** Keeps two chunks from `take` at `worker` until there are none; rows go to `onRows`. */
function sweepOn(
  worker: Worker,
  take: () => SweepWorkerRequest | null,
  onRows: (from: number, rows: Float64Array) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let pending = 0;
    const send = () => {
      const request = take();
      if (request === null) return;
      pending++;
      worker.postMessage(request);
    };
    worker.onmessage = (event: MessageEvent<BacktestWorkerMessage>) => {
      const message = event.data;
      if (message.kind === "rows") onRows(message.from, message.rows);
      else if (message.kind === "error") {
        worker.terminate();
        reject(workerError(message));
      } else if (message.kind === "done") {
        pending--;
        send();
        if (pending === 0) resolve();
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new BacktestWorkerError(`Cannot run backtest worker: ${event.message}`));
    };
    send();
    send();
    if (pending === 0) resolve();
  });
}

/**
 * Starts a sandboxed backtest worker now, so that it loads its code while the caller reads the
 * candles or builds the jobs; hand it to `runSandboxedBacktest` or `runSweep`.
 */
export function spawnBacktestWorker(): Worker {
  return new Worker(
    new URL("./backtest_worker.ts", import.meta.url),
    sandboxedWorkerOptions("backtest"),
  );
}

/**
 * Has early workers run a built-in `config` a few times on the first candles, results dropped,
 * so that the engine's code is compiled and optimised before the sweep's jobs come (as this
 * thread's code is by the jobs it ran before). Nothing for a user module's config: its code runs
 * only for real jobs. The jobs sent next wait for it.
 */
export function warmBacktestWorkers(
  workers: readonly Worker[],
  config: InstanceConfig,
  candles: CandleColumns,
  market: MarketFacts | null = null,
): void {
  if (workerModule(config) !== null) return;
  const n = Math.min(WARM_CANDLES, candles.length);
  const first = (column: Float64Array) => column.subarray(0, n);
  const request: WarmWorkerRequest = {
    want: "warm",
    config,
    candles: sharedColumns({
      length: n,
      openTimeMs: first(candles.openTimeMs),
      open: first(candles.open),
      high: first(candles.high),
      low: first(candles.low),
      close: first(candles.close),
      volume: first(candles.volume),
    }),
    market,
  };
  for (const worker of workers) worker.postMessage(request);
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
