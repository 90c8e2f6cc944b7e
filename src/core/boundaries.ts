/** Candle boundaries: floor, ceil, next open, close and the closed check. */
import { isFixedLength, type Timeframe, timeframeMs } from "./timeframe.ts";

// Weeks open on Monday 00:00 UTC like Binance and CCXT; 1970-01-05 was the first Monday.
const WEEK_ORIGIN_MS = 4 * 86_400_000;

function positiveMod(value: number, modulus: number): number {
  const rest = value % modulus;
  return rest < 0 ? rest + modulus : rest;
}

function originOf(timeframe: Timeframe): number {
  return timeframe === "1w" ? WEEK_ORIGIN_MS : 0;
}

function floorMonth(timeMs: number): number {
  const date = new Date(timeMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** Open time of the candle that contains `timeMs`. */
export function floorTime(timeMs: number, timeframe: Timeframe): number {
  if (!isFixedLength(timeframe)) return floorMonth(timeMs);
  const stepMs = timeframeMs(timeframe);
  return timeMs - positiveMod(timeMs - originOf(timeframe), stepMs);
}

/** The first candle open time at or after `timeMs`. */
export function ceilTime(timeMs: number, timeframe: Timeframe): number {
  const floored = floorTime(timeMs, timeframe);
  return floored === timeMs ? floored : nextOpenTime(floored, timeframe);
}

/** True when `timeMs` is a candle open time of `timeframe`. */
export function isAligned(timeMs: number, timeframe: Timeframe): boolean {
  return Number.isSafeInteger(timeMs) && floorTime(timeMs, timeframe) === timeMs;
}

/** Open time `count` candles after the candle opening at `openTimeMs` (negative goes back). */
export function addCandles(openTimeMs: number, timeframe: Timeframe, count: number): number {
  if (isFixedLength(timeframe)) return openTimeMs + count * timeframeMs(timeframe);
  const date = new Date(openTimeMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + count, 1);
}

/** Open time of the candle after the one opening at `openTimeMs`. */
export function nextOpenTime(openTimeMs: number, timeframe: Timeframe): number {
  return addCandles(openTimeMs, timeframe, 1);
}

/** Close time of the candle opening at `openTimeMs`: the next candle's open time. */
export function closeTime(openTimeMs: number, timeframe: Timeframe): number {
  return nextOpenTime(openTimeMs, timeframe);
}

/** True when the candle opening at `openTimeMs` has closed at `nowMs`. */
export function isClosed(openTimeMs: number, timeframe: Timeframe, nowMs: number): boolean {
  return nowMs >= closeTime(openTimeMs, timeframe);
}

/** Open time of the newest candle that has closed at `nowMs`. */
export function lastClosedOpenTime(nowMs: number, timeframe: Timeframe): number {
  return addCandles(floorTime(nowMs, timeframe), timeframe, -1);
}
