/** Imports a candle file into the store: all rows in one transaction, or nothing. */
import type { MarketRef } from "../core/types.ts";
import type { CandleRepo, UpsertCounts } from "../storage/mod.ts";
import { parseTimeframe } from "../timeframes/mod.ts";
import { parseCandles, type SkippedRow } from "./parse_candles.ts";

/** What an import did. */
export interface ImportResult extends UpsertCounts {
  readonly rows: number;
  readonly skipped: readonly SkippedRow[];
}

/** Options of `importCandleFile`. */
export interface ImportOptions {
  readonly file: string;
  readonly market: MarketRef;
  readonly skipInvalid?: boolean;
  readonly format?: "csv" | "json";
}

/** Validates every row first, then upserts them in one `BEGIN IMMEDIATE` transaction. */
export function importCandleFile(
  candles: CandleRepo,
  bytes: Uint8Array,
  options: ImportOptions,
): ImportResult {
  const { rows, skipped } = parseCandles(bytes, {
    file: options.file,
    timeframe: parseTimeframe(options.market.timeframe),
    skipInvalid: options.skipInvalid,
    format: options.format,
  });
  const counts = candles.upsert(options.market, rows);
  return { ...counts, rows: rows.length, skipped };
}
