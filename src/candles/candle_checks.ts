/** The row check the CSV and JSON parsers add to `checkOhlcv`: the candle is in place. */
import type { CandleProblem } from "../core/check_ohlcv.ts";
import { isAligned, type Timeframe } from "../timeframes/mod.ts";

/** Checks the open time: a safe integer, aligned, after the previous accepted row. */
export function checkTime(
  timeMs: number,
  previousMs: number | null,
  timeframe: Timeframe,
): CandleProblem | null {
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
