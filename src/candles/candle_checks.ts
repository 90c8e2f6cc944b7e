/** Row checks shared by the CSV and JSON parsers: the candle is sane and in place. */
import { isAligned, type Timeframe } from "../timeframes/mod.ts";

/** A problem with one row: the field it concerns and why. */
export interface RowProblem {
  readonly field: string;
  readonly why: string;
}

/** Checks OHLCV sanity (finite, prices > 0, volume >= 0, high/low envelope). */
export function checkValues(
  o: number,
  h: number,
  l: number,
  c: number,
  v: number,
): RowProblem | null {
  // Plain comparisons, no per-row allocation: this runs once per imported candle.
  if (!(o > 0)) return { field: "open", why: `must be > 0 (got ${o})` };
  if (!(h > 0)) return { field: "high", why: `must be > 0 (got ${h})` };
  if (!(l > 0)) return { field: "low", why: `must be > 0 (got ${l})` };
  if (!(c > 0)) return { field: "close", why: `must be > 0 (got ${c})` };
  if (!(v >= 0)) return { field: "volume", why: `must be >= 0 (got ${v})` };
  if (h < l) return { field: "high", why: `is below low (high ${h}, low ${l})` };
  if (h < o || h < c) {
    return { field: "high", why: `is below open/close (high ${h}, open ${o}, close ${c})` };
  }
  if (l > o || l > c) {
    return { field: "low", why: `is above open/close (low ${l}, open ${o}, close ${c})` };
  }
  return null;
}

/** Checks the open time: a safe integer, aligned, after the previous accepted row. */
export function checkTime(
  timeMs: number,
  previousMs: number | null,
  timeframe: Timeframe,
): RowProblem | null {
  if (!Number.isSafeInteger(timeMs) || timeMs < 0) {
    return { field: "timestamp", why: `must be a whole number of ms since 1970 (got ${timeMs})` };
  }
  if (previousMs !== null && timeMs === previousMs) {
    return { field: "timestamp", why: `duplicate of the previous row (${timeMs})` };
  }
  if (previousMs !== null && timeMs < previousMs) {
    return { field: "timestamp", why: `not ascending (${timeMs} after ${previousMs})` };
  }
  if (!isAligned(timeMs, timeframe)) {
    return { field: "timestamp", why: `${timeMs} is not aligned to ${timeframe}` };
  }
  return null;
}
