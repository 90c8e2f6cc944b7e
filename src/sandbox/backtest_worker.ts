/**
 * Worker body for backtests of sweeps and user modules: the whole engine loop runs here, inside
 * the sandbox, so a user strategy costs no message per candle. Built-ins come from the registry;
 * a user module is loaded once per worker and instantiated per job. Sweeps send back one compact
 * row of metrics per job, a chunk at a time. It also runs the signal streams of a user module for
 * `deno task check-strategy`.
 */
import { type BacktestResult, runConfig } from "../backtest/backtest_config.ts";
import type { Metrics } from "../backtest/metrics.ts";
import type { CandleColumns } from "../backtest/run_backtest.ts";
import { METRICS_ROW_LENGTH, writeMetricsRow } from "../backtest/sweep_results.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { Strategy } from "../core/ports.ts";
import type { MarketFacts } from "../risk/market_rules.ts";
import { checkedStrategy, StrategyRuntimeError } from "../strategy_runtime/checked_strategy.ts";
import { instantiateStrategy } from "../strategy_runtime/instantiate.ts";
import { loadStrategyDefinition } from "../strategy_runtime/load_definition.ts";
import {
  runSignalJobs,
  type SignalJob,
  type SignalStream,
} from "../strategy_runtime/signal_stream.ts";
import type { StrategyDefinition } from "../strategy_api.ts";
import { assertSandboxed } from "./sandbox_permissions.ts";

/** A user module to load in the worker: its file URL, its config path and the project root. */
export interface WorkerModule {
  readonly url: string;
  readonly path: string;
  readonly root: string;
}

/** One job: a validated config and the range for its report. */
export interface BacktestJob {
  readonly index: number;
  readonly config: InstanceConfig;
  readonly fromMs?: number;
  readonly toMs?: number;
}

/** What the main thread sends: candles once, then the jobs of this worker. */
export interface BacktestWorkerRequest {
  readonly module: WorkerModule | null;
  readonly candles: CandleColumns;
  readonly market: MarketFacts | null;
  readonly jobs: readonly BacktestJob[];
  /** `metrics` for sweeps; `outcome` (run, metrics, report) for one backtest. */
  readonly want: "metrics" | "outcome";
  readonly recordDecisions?: boolean;
}

/** Signal streams of a user module: a fresh instance per job, all in one worker. */
export interface SignalsWorkerRequest {
  readonly want: "signals";
  readonly module: WorkerModule;
  readonly candles: CandleColumns;
  /** The validated config: its params, timeframe and symbol. */
  readonly config: InstanceConfig;
  readonly jobs: readonly SignalJob[];
}

/** Sweep combinations `from`, `from + 1`, … of one grid: one metrics row each. */
export interface SweepWorkerRequest {
  readonly want: "sweep";
  readonly module: WorkerModule | null;
  readonly candles: CandleColumns;
  readonly market: MarketFacts | null;
  /** Index of the first config in the whole grid. */
  readonly from: number;
  readonly configs: readonly InstanceConfig[];
}

/**
 * Runs a built-in config a few times over `candles` (a few of the sweep's first ones) and keeps
 * nothing: the engine's code gets compiled and optimised while the caller is still building the
 * jobs. No answer; a later request waits for it. A user module's config is ignored (its code runs
 * only for real jobs).
 */
export interface WarmWorkerRequest {
  readonly want: "warm";
  readonly candles: CandleColumns;
  readonly market: MarketFacts | null;
  readonly config: InstanceConfig;
}

/** Any request. */
export type WorkerRequest =
  | BacktestWorkerRequest
  | SignalsWorkerRequest
  | SweepWorkerRequest
  | WarmWorkerRequest;

/** What the worker posts back: one message per job, then `done`. */
export type BacktestWorkerMessage =
  | { readonly kind: "metrics"; readonly index: number; readonly metrics: Metrics }
  /** Metrics rows (`writeMetricsRow`) of the sweep request's configs from `from` on, in order. */
  | { readonly kind: "rows"; readonly from: number; readonly rows: Float64Array }
  | { readonly kind: "signals"; readonly streams: readonly SignalStream[] }
  | { readonly kind: "outcome"; readonly index: number; readonly result: BacktestResult }
  | {
    readonly kind: "error";
    readonly index: number;
    readonly message: string;
    /** Set when the strategy threw: the candle's open time. */
    readonly candleTimeMs: number | null;
    /** True when the module itself could not be loaded (bad input, exit 2). */
    readonly load: boolean;
  }
  | { readonly kind: "done" };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: BacktestWorkerMessage, transfer?: Transferable[]): void;
};

// A user module's definition, loaded once per worker (one module per worker).
let loaded: { readonly url: string; readonly definition: StrategyDefinition } | null = null;

scope.onmessage = async (event) => {
  const request = event.data;
  if (request.want === "warm") {
    warm(request);
    return;
  }
  let definition: StrategyDefinition | null = null;
  try {
    assertSandboxed();
    if (request.module !== null) {
      const { url, path, root } = request.module;
      if (loaded?.url !== url) {
        loaded = { url, definition: await loadStrategyDefinition(url, path, root) };
      }
      definition = loaded.definition;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ kind: "error", index: -1, message, candleTimeMs: null, load: true });
    scope.postMessage({ kind: "done" });
    return;
  }
  if (request.want === "signals") runSignals(request, definition!);
  else if (request.want === "sweep") runSweepChunk(request, definition);
  else for (const job of request.jobs) runJob(request, job, definition);
  scope.postMessage({ kind: "done" });
};

/**
 * Runs of a warm-up, each over the candles it was given (the first 1,000): about 7 combinations'
 * candles of a 1h year. Against 30, it took about 40 ms of CPU off a prestarted 1,000-combination
 * sweep and added 20-30 ms to the warm-up, which runs while the combinations are validated.
 */
const WARM_RUNS = 60;

function warm(request: WarmWorkerRequest): void {
  const { config, candles } = request;
  if (config.strategy.module !== undefined || candles.length === 0) return;
  try {
    for (let run = 0; run < WARM_RUNS; run++) {
      runConfig(config, candles, { market: request.market });
    }
  } catch {
    // The real jobs report whatever this config does wrong.
  }
}

function runSweepChunk(request: SweepWorkerRequest, definition: StrategyDefinition | null): void {
  const { configs, from } = request;
  const rows = new Float64Array(configs.length * METRICS_ROW_LENGTH);
  for (let k = 0; k < configs.length; k++) {
    const config = configs[k];
    try {
      let strategy: Strategy | undefined;
      if (definition !== null) {
        const params = definition.params.parse(config.strategy.params) as Record<string, unknown>;
        const path = request.module!.path;
        strategy = checkedStrategy(instantiateStrategy(definition, params, config.timeframe), path);
      }
      const result = runConfig(config, request.candles, { market: request.market, strategy });
      writeMetricsRow(result.metrics, rows, k);
    } catch (error) {
      scope.postMessage({
        kind: "error",
        index: from + k,
        message: error instanceof Error ? error.message : String(error),
        candleTimeMs: error instanceof StrategyRuntimeError ? error.candleTimeMs : null,
        load: false,
      });
      return;
    }
  }
  scope.postMessage({ kind: "rows", from, rows }, [rows.buffer]);
}

function runSignals(request: SignalsWorkerRequest, definition: StrategyDefinition): void {
  const { config, module } = request;
  try {
    const params = definition.params.parse(config.strategy.params) as Record<string, unknown>;
    const create = () =>
      checkedStrategy(instantiateStrategy(definition, params, config.timeframe), module.path);
    const streams = runSignalJobs(create, request.candles, {
      jobs: request.jobs,
      timeframe: config.timeframe,
      symbol: config.symbol,
    });
    scope.postMessage({ kind: "signals", streams });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ kind: "error", index: -1, message, candleTimeMs: null, load: false });
  }
}

function runJob(
  request: BacktestWorkerRequest,
  job: BacktestJob,
  definition: StrategyDefinition | null,
): void {
  const { index, config } = job;
  try {
    let strategy: Strategy | undefined;
    if (definition !== null) {
      const params = definition.params.parse(config.strategy.params) as Record<string, unknown>;
      const path = request.module!.path;
      strategy = checkedStrategy(instantiateStrategy(definition, params, config.timeframe), path);
    }
    const result = runConfig(config, request.candles, {
      market: request.market,
      strategy,
      fromMs: job.fromMs,
      toMs: job.toMs,
      recordDecisions: request.recordDecisions,
    });
    if (request.want === "metrics") {
      scope.postMessage({ kind: "metrics", index, metrics: result.metrics });
    } else {
      // The equity curve is this run's own: hand it over instead of copying it.
      scope.postMessage({ kind: "outcome", index, result }, [
        result.run.equity.buffer as ArrayBuffer,
      ]);
    }
  } catch (error) {
    scope.postMessage({
      kind: "error",
      index,
      message: error instanceof Error ? error.message : String(error),
      candleTimeMs: error instanceof StrategyRuntimeError ? error.candleTimeMs : null,
      load: false,
    });
  }
}
