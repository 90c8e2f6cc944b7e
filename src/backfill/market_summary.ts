/** What one market's backfill did: the numbers the final summary prints. */
import type { MarketRef } from "../core/types.ts";
import type { Gap } from "../timeframes/mod.ts";
import type { BackfillRange } from "./backfill_range.ts";

/** Where a market's backfill stands. */
export type BackfillStatus =
  | "pending"
  | "running"
  | "done"
  | "up to date"
  | "interrupted"
  | "failed";

/** Live counters of one market; the runner prints them even after an interrupt. */
export interface MarketSummary {
  readonly market: MarketRef;
  status: BackfillStatus;
  range: BackfillRange | null;
  /** New candles stored. */
  added: number;
  /** Stored candles whose values differed from the exchange's and were corrected. */
  corrected: number;
  /** Candles downloaded again that matched the stored ones. */
  unchanged: number;
  /** Rows the exchange sent that failed validation (never stored). */
  invalid: number;
  /** Requests that returned a page. */
  pages: number;
  /** Missing ranges after the first pass. */
  gapsFound: Gap[];
  /** Ranges re-requested once (known exchange gaps are not). */
  gapsRerequested: number;
  /** Missing ranges the exchange itself lacks, recorded in `candle_gaps`. */
  gapsRemaining: Gap[];
  /** Open times asked for before the exchange's OHLCV window (never requested, not gaps). */
  unreachable: Gap | null;
  elapsedMs: number;
  /** One-line error when `status` is `failed`. */
  error: string | null;
}

/** A fresh summary for `market`. */
export function newMarketSummary(market: MarketRef): MarketSummary {
  return {
    market,
    status: "pending",
    range: null,
    added: 0,
    corrected: 0,
    unchanged: 0,
    invalid: 0,
    pages: 0,
    gapsFound: [],
    gapsRerequested: 0,
    gapsRemaining: [],
    unreachable: null,
    elapsedMs: 0,
    error: null,
  };
}

/** `binance BTC/USDT 1h`: how markets are named in progress and summaries. */
export function marketLabel(market: MarketRef): string {
  return `${market.exchange} ${market.symbol} ${market.timeframe}`;
}

/** Number of candles in `gaps`. */
export function missingCandles(gaps: readonly Gap[]): number {
  let total = 0;
  for (const gap of gaps) total += gap.missing;
  return total;
}
