/** Enumerates the open times a complete series would have; gap detection uses it. */
import { ceilTime, nextOpenTime } from "../core/boundaries.ts";
import { isFixedLength, type Timeframe, timeframeMs } from "../core/timeframe.ts";

/** Open times `t` with `fromMs <= t <= toMs`, ascending. */
export function expectedOpenTimes(fromMs: number, toMs: number, timeframe: Timeframe): number[] {
  const times: number[] = [];
  for (let t = ceilTime(fromMs, timeframe); t <= toMs; t = nextOpenTime(t, timeframe)) {
    times.push(t);
  }
  return times;
}

/** Number of open times `t` with `fromMs <= t <= toMs`, without building the list. */
export function countOpenTimes(fromMs: number, toMs: number, timeframe: Timeframe): number {
  return countBetween(ceilTime(fromMs, timeframe), toMs, timeframe);
}

/** Candles opening at `firstMs` (aligned) up to `toMs` inclusive. */
export function countBetween(firstMs: number, toMs: number, timeframe: Timeframe): number {
  if (toMs < firstMs) return 0;
  if (isFixedLength(timeframe)) {
    return Math.floor((toMs - firstMs) / timeframeMs(timeframe)) + 1;
  }
  let count = 0;
  for (let t = firstMs; t <= toMs; t = nextOpenTime(t, timeframe)) count++;
  return count;
}
