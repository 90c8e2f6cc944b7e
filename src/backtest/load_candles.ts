/** Loads a backtest's candles from the store in one query and summarises the gaps inside. */
import { DataError } from "../core/errors.ts";
import type { MarketRef } from "../core/types.ts";
import type { CandleRepo, LoadColumnsOptions } from "../storage/candle_repo.ts";
import { findGaps, type Timeframe } from "../timeframes/mod.ts";
import { formatUtc } from "../core/format_time.ts";
import { formatNumber } from "./format.ts";
import type { GapSummary } from "./report_terminal.ts";
import type { CandleColumns } from "./run_backtest.ts";

/** Candles of the range and the gaps between them. */
export interface LoadedCandles {
  readonly columns: CandleColumns;
  readonly gaps: GapSummary;
}

/**
 * Candles with `fromMs <= openTimeMs <= toMs` (inclusive; pass ±Infinity for open ends).
 * Throws a one-line `DataError` naming the stored ranges when the range holds no candle.
 */
export function loadBacktestCandles(
  repo: CandleRepo,
  market: MarketRef & { readonly timeframe: Timeframe },
  range: { readonly fromMs: number; readonly toMs: number },
  options: LoadColumnsOptions = {},
): LoadedCandles {
  const columns = repo.loadColumns(market, range.fromMs, range.toMs, options);
  if (columns.length === 0) throw new DataError(emptyRangeMessage(repo, market, range));
  const gaps = findGaps(
    columns.openTimeMs,
    market.timeframe,
    Number.isFinite(range.fromMs) ? range.fromMs : undefined,
    Number.isFinite(range.toMs) ? range.toMs : undefined,
  );
  let missingCandles = 0;
  let largestMissing = 0;
  for (const gap of gaps) {
    missingCandles += gap.missing;
    largestMissing = Math.max(largestMissing, gap.missing);
  }
  return { columns, gaps: { gaps: gaps.length, missingCandles, largestMissing } };
}

function emptyRangeMessage(
  repo: CandleRepo,
  market: MarketRef,
  range: { fromMs: number; toMs: number },
): string {
  const label = `${market.exchange} ${market.symbol} ${market.timeframe}`;
  const from = Number.isFinite(range.fromMs) ? formatUtc(range.fromMs) : "the start";
  const to = Number.isFinite(range.toMs) ? formatUtc(range.toMs) : "the end";
  const series = repo.listMarkets();
  const same = series.filter((s) =>
    s.exchange === market.exchange && s.symbol === market.symbol && s.timeframe === market.timeframe
  );
  const shown = (same.length > 0 ? same : series).slice(0, 6).map((s) =>
    `${s.exchange} ${s.symbol} ${s.timeframe} ${formatUtc(s.firstMs)} → ${formatUtc(s.lastMs)} ` +
    `(${formatNumber(s.count, 0)} candles)`
  );
  const holds = shown.length === 0 ? "the DB holds no candles" : `the DB holds ${shown.join("; ")}`;
  return `Cannot run backtest: no ${label} candles from ${from} to ${to} UTC; ${holds}; ` +
    "import or backfill them first (deno task candles import, deno task backfill)";
}
