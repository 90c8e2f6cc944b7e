/**
 * Hand-written inline backtests of `rsi` and `sma_cross`: the reference the engine is measured
 * against. Same rules and fill model (next open, fee on both sides, 100 % stake floored to the
 * step, equity marked at every close), but one flat loop with no objects, ports or risk.
 */
import type { CandleColumns } from "../../src/core/types.ts";

/**
 * Result of a loop: the trade count and final equity, so the work cannot be optimised away, and
 * the account at the end (a position still held is not sold).
 */
export interface LoopResult {
  readonly trades: number;
  readonly equity: number;
  readonly quote: number;
  readonly base: number;
}

const STEP = 1e-8;

/** RSI (Wilder) level strategy: enter below `oversold`, exit above `overbought`. */
export function loopRsi(
  c: CandleColumns,
  period: number,
  oversold: number,
  overbought: number,
  fee: number,
): LoopResult {
  const { open, close } = c;
  const equity = new Float64Array(c.length);
  let quote = 10_000, base = 0, pending = 0, trades = 0;
  let previous = NaN, avgGain = 0, avgLoss = 0;
  for (let i = 0; i < c.length; i++) {
    if (pending === 1) {
      base = Math.floor(quote / (open[i] * (1 + fee)) / STEP) * STEP;
      quote -= base * open[i] * (1 + fee);
    } else if (pending === -1) {
      quote += base * open[i] * (1 - fee);
      base = 0;
      trades++;
    }
    pending = 0;
    const x = close[i];
    const change = x - previous;
    previous = x;
    let rsi = NaN;
    if (i > 0) {
      const gain = change > 0 ? change : 0;
      const loss = change < 0 ? -change : 0;
      if (i > period) {
        avgGain = (avgGain * (period - 1) + gain) / period;
        avgLoss = (avgLoss * (period - 1) + loss) / period;
      } else {
        avgGain += gain;
        avgLoss += loss;
        if (i === period) {
          avgGain /= period;
          avgLoss /= period;
        }
      }
      if (i >= period) rsi = avgLoss === 0 ? 100 : 100 - 100 / (1 + avgGain / avgLoss);
    }
    if (base === 0 && rsi < oversold) pending = 1;
    else if (base > 0 && rsi > overbought) pending = -1;
    equity[i] = quote + base * x;
  }
  return { trades, equity: equity[c.length - 1], quote, base };
}

/** SMA cross: enter when fast crosses above slow (strictly), exit on the opposite cross. */
export function loopSmaCross(
  c: CandleColumns,
  fast: number,
  slow: number,
  fee: number,
): LoopResult {
  const { open, close } = c;
  const equity = new Float64Array(c.length);
  let quote = 10_000, base = 0, pending = 0, trades = 0;
  let fastSum = 0, slowSum = 0, prevFast = NaN, prevSlow = NaN;
  for (let i = 0; i < c.length; i++) {
    if (pending === 1) {
      base = Math.floor(quote / (open[i] * (1 + fee)) / STEP) * STEP;
      quote -= base * open[i] * (1 + fee);
    } else if (pending === -1) {
      quote += base * open[i] * (1 - fee);
      base = 0;
      trades++;
    }
    pending = 0;
    const x = close[i];
    fastSum += x - (i >= fast ? close[i - fast] : 0);
    slowSum += x - (i >= slow ? close[i - slow] : 0);
    const f = i + 1 >= fast ? fastSum / fast : NaN;
    const s = i + 1 >= slow ? slowSum / slow : NaN;
    if (base === 0 && prevFast < prevSlow && f > s) pending = 1;
    else if (base > 0 && prevFast > prevSlow && f < s) pending = -1;
    prevFast = f;
    prevSlow = s;
    equity[i] = quote + base * x;
  }
  return { trades, equity: equity[c.length - 1], quote, base };
}
