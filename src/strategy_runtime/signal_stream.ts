/**
 * Signal streams: a strategy fed candles with a fixed context, its answers recorded. With the
 * position held constant, the intents depend only on the candles, so two streams can be compared
 * candle by candle (determinism, warm-up, prefix checks) without the engine's trades in the way.
 */
import { candleFromColumns } from "../core/candle_row.ts";
import type { Strategy } from "../core/ports.ts";
import type { CandleColumns, Position } from "../core/types.ts";
import { type Timeframe, timeframeMs } from "../core/timeframe.ts";
import { runtimeError, StrategyRuntimeError } from "./checked_strategy.ts";

/** Which candles to feed (`start` ≤ index < `end`) and whether the strategy holds a position. */
export interface SignalJob {
  readonly start: number;
  readonly end: number;
  /** False: `position: null` on every candle (entry signals); true: `heldPosition` (exits). */
  readonly holding: boolean;
}

/** One non-empty answer: the candle index and the intents as JSON. */
export type Signal = readonly [index: number, intentsJson: string];

/** What the strategy threw, and on which candle; the stream stops there. */
export interface StreamError {
  readonly index: number;
  readonly candleTimeMs: number;
  /** Names the strategy and the candle time, and for a user module the file line. */
  readonly message: string;
}

/** The non-empty answers of one job, oldest first, and what it threw, if it did. */
export interface SignalStream extends SignalJob {
  readonly signals: readonly Signal[];
  readonly error: StreamError | null;
}

/**
 * The constant position of holding runs: one unit bought at the open of the first candle of the
 * whole range, so every run (whatever its start) sees the same position.
 */
export function heldPosition(candles: CandleColumns, symbol: string): Position {
  return {
    symbol,
    baseAmount: 1,
    entryPrice: candles.open[0],
    entryTimeMs: candles.openTimeMs[0],
    entryFeeQuote: 0,
    stopLossPrice: null,
    takeProfitPrice: null,
    highestPrice: candles.high[0],
  };
}

/**
 * Feeds `strategy` (a fresh instance) the candles of `job`, one at a time, oldest first, and
 * records its answers. A throw ends the stream and is recorded, not rethrown.
 */
export function runSignalStream(
  strategy: Strategy,
  candles: CandleColumns,
  options: { job: SignalJob; timeframeMs: number; position: Position },
): SignalStream {
  const { job, timeframeMs } = options;
  const position = job.holding ? options.position : null;
  const signals: Signal[] = [];
  for (let index = job.start; index < job.end; index++) {
    // Its own frozen object, so a strategy that keeps it cannot see it change.
    const candle = Object.freeze(candleFromColumns(candles, index));
    let intents;
    try {
      intents = strategy.onCandle(candle, {
        position,
        closeTimeMs: candle.openTimeMs + timeframeMs,
      });
    } catch (error) {
      const failure = error instanceof StrategyRuntimeError
        ? error
        : runtimeError(strategy.name, "", candle.openTimeMs, error);
      const streamError = { index, candleTimeMs: candle.openTimeMs, message: failure.message };
      return { ...job, signals, error: streamError };
    }
    if (intents.length > 0) signals.push([index, JSON.stringify(intents)]);
  }
  return { ...job, signals, error: null };
}

/**
 * One stream per job, each from a fresh instance made by `create`, in job order. The holding
 * jobs all see `heldPosition` of `candles`.
 */
export function runSignalJobs(
  create: () => Strategy,
  candles: CandleColumns,
  options: { jobs: readonly SignalJob[]; timeframe: string; symbol: string },
): SignalStream[] {
  const position = heldPosition(candles, options.symbol);
  const ms = timeframeMs(options.timeframe as Timeframe);
  return options.jobs.map((job) =>
    runSignalStream(create(), candles, { job, timeframeMs: ms, position })
  );
}
