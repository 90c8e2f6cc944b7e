/** Resamples a stored series into a longer timeframe of the same market, in one transaction. */
import { candleFromRow, candleToRow } from "../core/candle_row.ts";
import type { MarketRef } from "../core/types.ts";
import type { CandleRepo, UpsertCounts } from "../storage/mod.ts";
import {
  addCandles,
  ceilTime,
  closeTime,
  floorTime,
  parseTimeframe,
  resampleCandles,
  type Timeframe,
} from "../timeframes/mod.ts";

/** What to resample: `source`'s candles into `timeframe`, optionally within open-time bounds. */
export interface ResampleRequest {
  readonly source: MarketRef;
  readonly timeframe: Timeframe;
  /** First open time of the written candles (inclusive); the start of the series when absent. */
  readonly fromMs?: number;
  /** Last open time of the written candles (inclusive); the end of the series when absent. */
  readonly toMs?: number;
}

/** What a stored resample did: base candles read, target candles written and the upsert counts. */
export interface ResampleResult extends UpsertCounts {
  readonly source: MarketRef;
  readonly market: MarketRef;
  readonly baseCandles: number;
  readonly candles: number;
  readonly incomplete: number;
}

/**
 * Reads the base candles, resamples them (only closed buckets) and upserts the result as the
 * target timeframe in one `BEGIN IMMEDIATE` transaction: all of it or nothing.
 * Throws a one-line `RangeError` when the base cannot be resampled to the target.
 */
export function resampleStoredCandles(repo: CandleRepo, request: ResampleRequest): ResampleResult {
  const base = parseTimeframe(request.source.timeframe);
  const target = request.timeframe;
  const fromMs = request.fromMs === undefined ? -Infinity : ceilTime(request.fromMs, target);
  // The last bucket ends where the next one opens; base candles before that belong to it.
  const toMs = request.toMs === undefined
    ? Infinity
    : addCandles(closeTime(floorTime(request.toMs, target), target), base, -1);
  const rows = repo.loadRange(request.source, fromMs, toMs);
  const { candles, incomplete } = resampleCandles(rows.map(candleFromRow), base, target);
  const market = { ...request.source, timeframe: target };
  const counts = repo.upsert(market, candles.map(candleToRow));
  return {
    ...counts,
    source: request.source,
    market,
    baseCandles: rows.length,
    candles: candles.length,
    incomplete,
  };
}
