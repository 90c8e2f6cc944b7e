/**
 * Backtests of many configs on windows of one candle series, spread over sandboxed workers that
 * stay up for the whole optimisation. Each worker is the sandbox's backtest worker; it gets one
 * job at a time, so the cores stay busy whatever each job costs and results arrive as they
 * finish (for the progress bar and the DB).
 */
import { type BacktestResult, runConfig } from "../backtest/backtest_config.ts";
import type { CandleColumns } from "../backtest/run_backtest.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { MarketFacts } from "../risk/market_rules.ts";
import type { BacktestWorkerMessage, BacktestWorkerRequest } from "../sandbox/backtest_worker.ts";
import {
  BacktestWorkerError,
  sharedColumns,
  spawnBacktestWorker,
  workerModule,
} from "../sandbox/run_sweep.ts";
import { StrategyLoadError } from "../sandbox/strategy_host.ts";

/** One backtest: a validated config on candles [fromIndex, toIndex). */
export interface EvaluationJob {
  readonly config: InstanceConfig;
  readonly fromIndex: number;
  readonly toIndex: number;
}

/** Options for `EvaluationPool`. */
export interface EvaluationPoolOptions {
  readonly market: MarketFacts | null;
  /** Number of workers; 0 runs built-in strategies in this thread. */
  readonly workers: number;
}

/** Runs evaluation jobs on sandboxed workers (or in this thread when there are none). */
export class EvaluationPool {
  readonly #candles: CandleColumns;
  readonly #options: EvaluationPoolOptions;
  readonly #workers: Worker[] = [];

  constructor(candles: CandleColumns, options: EvaluationPoolOptions) {
    this.#candles = options.workers > 0 ? sharedColumns(candles) : candles;
    this.#options = options;
    for (let w = 0; w < options.workers; w++) this.#workers.push(spawnBacktestWorker());
  }

  /** Workers in use (0 = this thread). */
  get workers(): number {
    return this.#workers.length;
  }

  /** Runs every job; `onResult` gets each result as it arrives; resolves when all are done. */
  async run(
    jobs: readonly EvaluationJob[],
    onResult: (index: number, result: BacktestResult) => void,
  ): Promise<void> {
    if (jobs.length === 0) return;
    if (this.#workers.length === 0) {
      for (let index = 0; index < jobs.length; index++) {
        const job = jobs[index];
        if (workerModule(job.config) !== null) {
          throw new BacktestWorkerError(
            "Cannot run a strategy module without workers: the permission set must let the task read ./src",
          );
        }
        onResult(index, runConfig(job.config, this.#window(job), { market: this.#options.market }));
        // Let the progress bar draw between jobs.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      return;
    }
    let next = 0;
    const feed = async (worker: Worker) => {
      while (next < jobs.length) {
        const index = next++;
        onResult(index, await this.#runOne(worker, jobs[index]));
      }
    };
    await Promise.all(this.#workers.map(feed));
  }

  /** Stops the workers. */
  close(): void {
    for (const worker of this.#workers) worker.terminate();
    this.#workers.length = 0;
  }

  #window(job: EvaluationJob): CandleColumns {
    const c = this.#candles;
    const slice = (column: Float64Array) => column.subarray(job.fromIndex, job.toIndex);
    return {
      length: job.toIndex - job.fromIndex,
      openTimeMs: slice(c.openTimeMs),
      open: slice(c.open),
      high: slice(c.high),
      low: slice(c.low),
      close: slice(c.close),
      volume: slice(c.volume),
    };
  }

  #runOne(worker: Worker, job: EvaluationJob): Promise<BacktestResult> {
    const request: BacktestWorkerRequest = {
      module: workerModule(job.config),
      candles: this.#window(job),
      market: this.#options.market,
      jobs: [{ index: 0, config: job.config }],
      want: "outcome",
    };
    return new Promise((resolve, reject) => {
      let result: BacktestResult | undefined;
      worker.onmessage = (event: MessageEvent<BacktestWorkerMessage>) => {
        const message = event.data;
        if (message.kind === "outcome") result = message.result;
        else if (message.kind === "error") reject(workerError(message));
        else if (message.kind === "done" && result !== undefined) resolve(result);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new BacktestWorkerError(`Cannot run backtest worker: ${event.message}`));
      };
      worker.postMessage(request);
    });
  }
}

function workerError(message: BacktestWorkerMessage & { kind: "error" }): Error {
  if (message.load) return new StrategyLoadError(`Cannot load strategy: ${message.message}`);
  return new BacktestWorkerError(`Cannot run backtest: ${message.message}`);
}
