/** Finds the ranges missing from a sorted series of candle open times. */
import { addCandles, ceilTime, floorTime } from "../core/boundaries.ts";
import { countBetween } from "./expected_open_times.ts";
import type { Timeframe } from "../core/timeframe.ts";

/** A run of missing candles: first and last missing open time (inclusive) and their count. */
export interface Gap {
  readonly fromMs: number;
  readonly toMs: number;
  readonly missing: number;
}

/**
 * Missing ranges in `openTimes` (ascending, aligned) in one pass.
 * `fromMs`/`toMs` (inclusive) bound the expected series: a missing head or tail counts, gaps
 * outside the bounds are clipped, and with no stored candles the whole range is one gap.
 */
export function findGaps(
  openTimes: ArrayLike<number>,
  timeframe: Timeframe,
  fromMs?: number,
  toMs?: number,
): Gap[] {
  const first = fromMs === undefined ? -Infinity : ceilTime(fromMs, timeframe);
  const last = toMs === undefined ? Infinity : floorTime(toMs, timeframe);
  const gaps: Gap[] = [];
  const add = (fromOpenMs: number, toOpenMs: number) => {
    const start = Math.max(fromOpenMs, first);
    const end = Math.min(toOpenMs, last);
    const missing = countBetween(start, end, timeframe);
    if (missing > 0) gaps.push({ fromMs: start, toMs: end, missing });
  };
  const n = openTimes.length;
  if (n === 0) {
    if (fromMs !== undefined && toMs !== undefined) add(first, last);
    return gaps;
  }
  if (fromMs !== undefined && first < openTimes[0]) {
    add(first, addCandles(openTimes[0], timeframe, -1));
  }
  for (let i = 1; i < n; i++) {
    const expected = addCandles(openTimes[i - 1], timeframe, 1);
    if (openTimes[i] > expected) add(expected, addCandles(openTimes[i], timeframe, -1));
  }
  if (toMs !== undefined && last > openTimes[n - 1]) {
    add(addCandles(openTimes[n - 1], timeframe, 1), last);
  }
  return gaps;
}
