/**
 * Exchange adapter: the only module that imports CCXT. Client factory, markets, feed, execution
 * client, errors.
 */
export {
  createExchange,
  type CreateExchangeOptions,
  type Credentials,
  exchangeApiHosts,
  exchangeClass,
  ExchangeClient,
  exchangeIds,
  rewriteUrls,
  type SecretLike,
} from "./exchange_client.ts";
export type { ExchangeLogger } from "./exchange_logger.ts";
export { type RateBudgetOptions, type RateBudgetStore, useRateBudget } from "./rate_budget.ts";
export {
  exchangeErrorCode,
  isAmbiguousCreateFailure,
  parseRetryAfter,
  toTradingError,
} from "./error_policy.ts";
export { backoffMs, type RetryEvent, type RetryOptions, withRetry } from "./with_retry.ts";
export {
  type CachedMarket,
  loadMarketCatalog,
  MARKET_MAX_AGE_MS,
  type MarketCache,
  MarketCatalog,
  MarketValidationError,
} from "./market_catalog.ts";
export { type ExchangeFacts, exchangeFacts } from "./exchange_facts.ts";
export { clientIdParams } from "./client_id_params.ts";
export { type CandleCheck, checkCandleRow, type InvalidCandle } from "./candle_validation.ts";
export {
  type CandlePage,
  CcxtMarketDataFeed,
  type FeedOptions,
  fetchCandles,
  type FetchCandlesResult,
  ohlcvPageLimit,
} from "./ccxt_feed.ts";
export { CcxtExecutionClient, type CcxtExecutionClientOptions } from "./ccxt_execution_client.ts";
export { limitProblem, type PreparedOrder } from "./order_preparation.ts";
