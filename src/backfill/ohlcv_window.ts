/**
 * Exchanges whose OHLCV endpoint serves only the latest N candles (Kraken: 720): the part of a
 * backfill range that can be downloaded, and the part before it that no request can reach. The
 * unreachable part is said before downloading and never recorded as a gap, since a gap means
 * "the exchange has no candle here" and the exchange was never asked.
 */
import { formatUtc } from "../core/format_time.ts";
import type { MarketRef } from "../core/types.ts";
import {
  addCandles,
  countBetween,
  floorTime,
  type Gap,
  type Timeframe,
} from "../timeframes/mod.ts";
import type { BackfillRange } from "./backfill_range.ts";
import { marketLabel } from "./market_summary.ts";

/** A range cut to an OHLCV window. */
export interface WindowedRange {
  /** What can be downloaded; null when nothing of the range is reachable. */
  readonly range: BackfillRange | null;
  /** Open times asked for that lie before the window; null when none. */
  readonly unreachable: Gap | null;
}

/**
 * The earliest open time still served at `nowMs` when the endpoint returns the latest
 * `windowCandles` candles, the open one included; one candle is kept in hand, so a candle that
 * leaves the window while the download runs is not taken for missing.
 */
export function windowStartMs(nowMs: number, timeframe: Timeframe, windowCandles: number): number {
  return addCandles(floorTime(nowMs, timeframe), timeframe, -(windowCandles - 2));
}

/** Cuts `range` to the window of the latest `windowCandles` candles; unchanged without one. */
export function clipToOhlcvWindow(
  range: BackfillRange | null,
  options: { timeframe: Timeframe; nowMs: number; windowCandles: number | null },
): WindowedRange {
  const { timeframe, windowCandles } = options;
  if (range === null || windowCandles === null) return { range, unreachable: null };
  const startMs = windowStartMs(options.nowMs, timeframe, windowCandles);
  if (range.fromMs >= startMs) return { range, unreachable: null };
  const lastUnreachableMs = Math.min(range.toMs, addCandles(startMs, timeframe, -1));
  const unreachable = {
    fromMs: range.fromMs,
    toMs: lastUnreachableMs,
    missing: countBetween(range.fromMs, lastUnreachableMs, timeframe),
  };
  if (range.toMs < startMs) return { range: null, unreachable };
  const clipped = {
    fromMs: startMs,
    toMs: range.toMs,
    expected: countBetween(startMs, range.toMs, timeframe),
  };
  return { range: clipped, unreachable };
}

/** The line said before downloading: where the window starts and what lies out of reach. */
export function windowNote(
  market: MarketRef,
  windowed: WindowedRange,
  windowCandles: number,
): string {
  const { unreachable, range } = windowed;
  if (unreachable === null) return "";
  const start = range === null
    ? "none of the range is reachable"
    : `reachable from ${formatUtc(range.fromMs)} UTC`;
  return `${marketLabel(market)}: ${market.exchange} serves only its latest ${windowCandles} ` +
    `candles: ${start}; ${formatUtc(unreachable.fromMs)} → ${formatUtc(unreachable.toMs)} ` +
    `(${unreachable.missing} candles) cannot be downloaded and is not recorded as a gap`;
}
