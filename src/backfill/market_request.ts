/** A market to backfill, where it was asked for, and its checks against the exchange. */
import { parseInstanceConfig } from "../config/mod.ts";
import { InputError } from "../core/errors.ts";
import type { MarketRef } from "../core/types.ts";
import {
  type CachedMarket,
  type ExchangeClient,
  exchangeFacts,
  loadMarketCatalog,
  MarketValidationError,
} from "../exchange/mod.ts";

/** One market from the flags or from a config file. */
export interface MarketRequest {
  readonly market: MarketRef;
  /** The config file it came from; null for `--exchange/--symbol/--timeframe`. */
  readonly configPath: string | null;
  /** That file's text, to point at the line of a problem with its market. */
  readonly configText?: string;
  /** A config's `backtest.from`: where a new market starts when `--since` is absent. */
  readonly defaultSinceMs: number | null;
}

/** Drops repeated markets (two configs of one market), keeping the first. */
export function uniqueRequests(requests: readonly MarketRequest[]): MarketRequest[] {
  const seen = new Set<string>();
  return requests.filter(({ market }) => {
    const key = `${market.exchange}\0${market.symbol}\0${market.timeframe}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Groups requests by exchange id, in first-seen order. */
export function byExchange(requests: readonly MarketRequest[]): Map<string, MarketRequest[]> {
  const groups = new Map<string, MarketRequest[]>();
  for (const request of requests) {
    const group = groups.get(request.market.exchange) ?? [];
    group.push(request);
    groups.set(request.market.exchange, group);
  }
  return groups;
}

/**
 * Loads the exchange's markets and checks every symbol and timeframe; bad ones exit 2. Returns
 * the markets, for the cache that `check-config` reads.
 */
export async function checkMarkets(
  client: ExchangeClient,
  requests: readonly MarketRequest[],
  nowMs: number,
): Promise<CachedMarket[]> {
  const catalog = await loadMarketCatalog(client, { nowMs });
  for (const request of requests) {
    if (request.configPath !== null && request.configText !== undefined) {
      // A config's symbol, and its stake against the minimum order, with the file's line.
      parseInstanceConfig(request.configText, {
        path: request.configPath,
        strategies: null,
        exchange: { rules: exchangeFacts, markets: () => catalog.markets() },
      });
    }
    try {
      catalog.validate(request.market.symbol, request.market.timeframe);
    } catch (error) {
      if (!(error instanceof MarketValidationError)) throw error;
      const where = request.configPath === null
        ? `Cannot backfill: --${error.field}`
        : `Cannot backfill ${request.configPath}: ${error.field}`;
      throw new InputError(`${where}: ${error.reason}`, { cause: error });
    }
  }
  return catalog.markets();
}
