/** Runs the engine synchronously over candles already in memory; no I/O. */
import type { EngineKernel } from "../core/engine.ts";
import { driveColumnsSync, finishSync } from "../core/engine_driver.ts";
import { EquityMarks } from "../core/equity_marks.ts";
import type { EngineDecision, EngineStep } from "../core/engine_types.ts";
import type { Strategy, SyncVenue } from "../core/ports.ts";
import type { Candle, CandleColumns, ClosedTrade } from "../core/types.ts";

/** Candles as parallel typed arrays, the core type; re-exported for the backtest's callers. */
export type { CandleColumns };

/** What one run produced. */
export interface BacktestRun {
  readonly trades: readonly ClosedTrade[];
  /** Every risk review, in order, when asked for (`recordDecisions`); else empty. */
  readonly decisions: readonly EngineDecision[];
  /** Candle open times and equity marked at each close (the last after the final exit). */
  readonly timesMs: Float64Array;
  readonly equity: Float64Array;
  readonly closes: Float64Array;
  readonly warmupCandles: number;
}

/** What a backtest steps: the kernel, the synchronous venue it fills on, and the strategy. */
export interface BacktestParts {
  readonly kernel: EngineKernel;
  readonly exchange: SyncVenue;
  readonly strategy: Strategy;
}

/** Options for `runBacktest`. */
export interface RunBacktestOptions {
  /** Keep every risk decision in the result (tests, audits); off by default as it costs memory. */
  readonly recordDecisions?: boolean;
}

/** Drives every candle through the kernel and the simulated exchange, then closes at the end. */
export function runBacktest(
  parts: BacktestParts,
  candles: CandleColumns | readonly Candle[],
  options: RunBacktestOptions = {},
): BacktestRun {
  const record = options.recordDecisions ?? false;
  const columns = "openTimeMs" in candles ? candles : toColumns(candles);
  const n = columns.length;
  const { kernel, exchange } = parts;
  // The curve's array is made after the run, from the balances marked during it (see
  // `EquityMarks`).
  const marks = new EquityMarks();
  const decisions: EngineDecision[] = [];
  const { openTimeMs, close } = columns;
  const onStep = record
    ? (step: EngineStep) => {
      if (step.decisions.length > 0) decisions.push(...step.decisions);
    }
    : undefined;
  const candle = driveColumnsSync(kernel, exchange, columns, { marks, onStep });
  const equity = new Float64Array(n);
  marks.fill(close, equity, n);
  if (candle !== null) {
    finishSync(kernel, exchange, candle);
    equity[n - 1] = kernel.equityQuote;
  }
  return {
    trades: kernel.trades,
    decisions,
    timesMs: openTimeMs,
    equity,
    closes: close,
    warmupCandles: parts.strategy.warmupCandles,
  };
}

/** Candle objects to columns. */
export function toColumns(candles: readonly Candle[]): CandleColumns {
  const n = candles.length;
  const columns = {
    length: n,
    openTimeMs: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const c = candles[i];
    columns.openTimeMs[i] = c.openTimeMs;
    columns.open[i] = c.open;
    columns.high[i] = c.high;
    columns.low[i] = c.low;
    columns.close[i] = c.close;
    columns.volume[i] = c.volume;
  }
  return columns;
}
