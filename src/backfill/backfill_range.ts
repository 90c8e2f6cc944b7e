/** Command-line dates and the range one market is backfilled over. */
import { parseConfigDate } from "../config/mod.ts";
import { InputError } from "../core/errors.ts";
import type { MarketRef } from "../core/types.ts";
import {
  addCandles,
  ceilTime,
  countBetween,
  floorTime,
  lastClosedOpenTime,
  type Timeframe,
} from "../timeframes/mod.ts";

/** Open times `fromMs <= t <= toMs` (both aligned, inclusive) of one market to download. */
export interface BackfillRange {
  readonly fromMs: number;
  readonly toMs: number;
  /** Candles a complete series has in the range. */
  readonly expected: number;
}

/** `--since` and `--until` as given, already parsed; null when not given. */
export interface DateBounds {
  readonly sinceMs: number | null;
  readonly untilMs: number | null;
}

/** Parses a date flag (`YYYY-MM-DD`, ISO date-time, or epoch ms); throws a one-line `InputError`. */
export function parseBackfillDate(flag: string, text: string): number {
  const timeMs = /^\d+$/.test(text) ? Number(text) : parseConfigDate(text);
  if (!Number.isFinite(timeMs)) {
    throw new InputError(
      `Cannot backfill: --${flag}: not a date (got "${text}"; use YYYY-MM-DD or an ISO date-time)`,
    );
  }
  return timeMs;
}

/** Rejects dates in the future and `--since` after `--until` (one-line `InputError`s). */
export function checkDateBounds(bounds: DateBounds, nowMs: number): void {
  const { sinceMs, untilMs } = bounds;
  for (const [flag, timeMs] of [["since", sinceMs], ["until", untilMs]] as const) {
    if (timeMs !== null && timeMs > nowMs) {
      throw new InputError(
        `Cannot backfill: --${flag}: ${new Date(timeMs).toISOString()} is in the future`,
      );
    }
  }
  if (sinceMs !== null && untilMs !== null && sinceMs >= untilMs) {
    throw new InputError(
      `Cannot backfill: --since: ${new Date(sinceMs).toISOString()} is not before --until ` +
        new Date(untilMs).toISOString(),
    );
  }
}

/** What decides a market's range besides the flags. */
export interface RangeContext {
  readonly timeframe: Timeframe;
  readonly nowMs: number;
  /** Newest stored open time of the market, null when it has none. */
  readonly lastStoredMs: number | null;
  /** A fallback start for a new market (a config's `backtest.from`), null when none. */
  readonly defaultSinceMs?: number | null;
}

/**
 * The range to download: from `--since`, else after the newest stored candle, up to `--until`
 * (exclusive) or the newest closed candle. Null when there is nothing to do yet.
 */
export function backfillRange(
  market: MarketRef,
  bounds: DateBounds,
  context: RangeContext,
): BackfillRange | null {
  const { timeframe } = context;
  const startMs = bounds.sinceMs ??
    (context.lastStoredMs === null ? null : addCandles(context.lastStoredMs, timeframe, 1)) ??
    context.defaultSinceMs ?? null;
  if (startMs === null) {
    const label = `${market.exchange} ${market.symbol} ${market.timeframe}`;
    throw new InputError(
      `Cannot backfill ${label}: --since: required, the database has no candles of this market`,
    );
  }
  const fromMs = ceilTime(startMs, timeframe);
  const lastClosedMs = lastClosedOpenTime(context.nowMs, timeframe);
  const untilOpenMs = bounds.untilMs === null
    ? lastClosedMs
    : addCandles(ceilTime(bounds.untilMs, timeframe), timeframe, -1);
  const toMs = Math.min(floorTime(untilOpenMs, timeframe), lastClosedMs);
  if (toMs < fromMs) return null;
  return { fromMs, toMs, expected: countBetween(fromMs, toMs, timeframe) };
}
