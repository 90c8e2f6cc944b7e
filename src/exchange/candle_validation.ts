/** Checks every candle from an exchange; a bad row is reported, never repaired. */
import { checkOhlcv } from "../core/check_ohlcv.ts";
import type { Candle } from "../core/types.ts";
import { isAligned, isTimeframe } from "../timeframes/mod.ts";

/** A row that failed a check, with the reason. */
export interface InvalidCandle {
  readonly row: unknown;
  readonly reason: string;
}

/** The candle, or why the OHLCV row is not one. */
export type CandleCheck = { readonly candle: Candle } | { readonly invalid: InvalidCandle };

/** Validates one `[time, open, high, low, close, volume]` row of `timeframe` (`timeframeMs` long). */
export function checkCandleRow(row: unknown, timeframe: string, timeframeMs: number): CandleCheck {
  const reason = rowProblem(row, timeframe, timeframeMs);
  if (reason !== null) return { invalid: { row, reason } };
  const [openTimeMs, open, high, low, close, volume] = row as number[];
  return { candle: { openTimeMs, open, high, low, close, volume } };
}

function rowProblem(row: unknown, timeframe: string, timeframeMs: number): string | null {
  if (!Array.isArray(row) || row.length < 6) return "not an OHLCV row";
  const [time, open, high, low, close, volume] = row;
  const names = ["time", "open", "high", "low", "close", "volume"];
  for (let i = 0; i < 6; i++) {
    if (typeof row[i] !== "number" || !Number.isFinite(row[i])) {
      return `${names[i]} is not a finite number`;
    }
  }
  const problem = checkOhlcv(open, high, low, close, volume);
  if (problem !== null) return `${problem.field} ${problem.why}`;
  const aligned = isTimeframe(timeframe)
    ? isAligned(time, timeframe)
    : Number.isSafeInteger(time) && time % timeframeMs === 0;
  return aligned ? null : `time ${time} is not aligned to ${timeframe}`;
}
