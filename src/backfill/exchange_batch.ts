/** Wires one exchange's CCXT client into the runner: a paged feed per market, retries shown. */
import type { Clock } from "../core/ports.ts";
import type { MarketRef } from "../core/types.ts";
import { CcxtMarketDataFeed, type ExchangeClient } from "../exchange/mod.ts";
import type { MarketProgress } from "./backfill_progress.ts";
import type { BackfillJob, ExchangeBatch } from "./run_backfill.ts";

/** Attempts per request: a long download should outlast a rate-limit storm. */
export const BACKFILL_MAX_ATTEMPTS = 8;

/** How the feeds of a batch page. */
export interface ExchangeBatchOptions {
  readonly clock: Clock;
  /** Candles per request; default: the exchange's maximum. */
  readonly pageLimit?: number;
}

/** The runner's batch for `client`'s markets. */
export function exchangeBatch(
  client: ExchangeClient,
  jobs: readonly BackfillJob[],
  options: ExchangeBatchOptions,
): ExchangeBatch {
  return {
    jobs,
    sourceFor: (market: MarketRef, progress: MarketProgress) =>
      new CcxtMarketDataFeed(client, market, {
        clock: options.clock,
        pageLimit: options.pageLimit,
        retry: {
          maxAttempts: BACKFILL_MAX_ATTEMPTS,
          onRetry: (event) => progress.retrying(event.delayMs, event.error.message),
        },
      }),
  };
}
