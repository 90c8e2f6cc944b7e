/** Backfill: resumable, gap-aware candle download from an exchange into the candle store. */
export {
  type BackfillRange,
  backfillRange,
  checkDateBounds,
  type DateBounds,
  parseBackfillDate,
  type RangeContext,
} from "./backfill_range.ts";
export {
  type BackfillProgress,
  type MarketProgress,
  SILENT_PROGRESS,
} from "./backfill_progress.ts";
export {
  type CandlePageSource,
  MarketBackfill,
  type MarketBackfillDeps,
  type SourcePage,
} from "./market_backfill.ts";
export {
  type BackfillStatus,
  marketLabel,
  type MarketSummary,
  missingCandles,
  newMarketSummary,
} from "./market_summary.ts";
export {
  type BackfillJob,
  type ExchangeBatch,
  runBackfill,
  type RunBackfillOptions,
} from "./run_backfill.ts";
export { formatMarketSummary, formatSummary } from "./format_summary.ts";
export { TerminalProgress, type TerminalProgressOptions } from "./terminal_progress.ts";
export { PlainProgress, type PlainProgressOptions } from "./plain_progress.ts";
export { byExchange, checkMarkets, type MarketRequest, uniqueRequests } from "./market_request.ts";
export {
  BACKFILL_MAX_ATTEMPTS,
  exchangeBatch,
  type ExchangeBatchOptions,
} from "./exchange_batch.ts";
export { untilAborted } from "./until_aborted.ts";
export {
  clipToOhlcvWindow,
  type WindowedRange,
  windowNote,
  windowStartMs,
} from "./ohlcv_window.ts";
