/** Markets: loaded once, cached (precision, limits, fees) for a day, and checked against configs. */
import ccxt, { type MarketInterface } from "ccxt";
import { InputError } from "../core/errors.ts";
import type { MarketRecord } from "../core/types.ts";
import { closeMatches } from "../core/close_matches.ts";
import type { ExchangeClient } from "./exchange_client.ts";

/** One market as cached (the shared `MarketRecord`). */
export type CachedMarket = MarketRecord;

/** Where markets are cached; `MarketRepo` from `src/storage` fits. */
export interface MarketCache {
  list(exchange: string): readonly CachedMarket[];
  upsert(markets: readonly CachedMarket[]): void;
}

/** Markets older than this are fetched again. */
export const MARKET_MAX_AGE_MS = 86_400_000;

/** A config's symbol or timeframe the exchange does not have; `field` and `reason` for file:line errors. */
export class MarketValidationError extends InputError {
  constructor(readonly field: "symbol" | "timeframe", readonly reason: string) {
    super(`Cannot use market: ${field}: ${reason}`);
  }
}

function step(value: number | undefined, precisionMode: number): number | null {
  if (value === undefined || value === null) return null;
  if (precisionMode === ccxt.TICK_SIZE) return value;
  if (precisionMode === ccxt.DECIMAL_PLACES) return 10 ** -value;
  return null;
}

/** The cache row for a CCXT market. */
export function toCachedMarket(
  client: ExchangeClient,
  m: MarketInterface,
  fetchedMs: number,
): CachedMarket {
  const mode = client.ccxt.precisionMode ?? ccxt.TICK_SIZE;
  return {
    exchange: client.id,
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    active: m.active !== false,
    amountStep: step(m.precision?.amount, mode),
    priceStep: step(m.precision?.price, mode),
    minAmount: m.limits?.amount?.min ?? null,
    minNotional: m.limits?.cost?.min ?? null,
    makerFee: m.maker ?? null,
    takerFee: m.taker ?? null,
    timeframes: client.ccxt.timeframes ? Object.keys(client.ccxt.timeframes) : null,
    raw: m,
    fetchedMs,
  };
}

/** Loads markets from a fresh cache, else from the exchange (then caches them). */
export async function loadMarketCatalog(
  client: ExchangeClient,
  options: { nowMs: number; cache?: MarketCache; maxAgeMs?: number; reload?: boolean },
): Promise<MarketCatalog> {
  const maxAgeMs = options.maxAgeMs ?? MARKET_MAX_AGE_MS;
  const cached = options.reload ? [] : options.cache?.list(client.id) ?? [];
  const fresh = cached.length > 0 && cached.every((m) => options.nowMs - m.fetchedMs < maxAgeMs);
  if (fresh) {
    client.ccxt.setMarkets(cached.map((m) => m.raw as MarketInterface));
    restoreAltnames(client);
    return new MarketCatalog(client, cached, "cache");
  }
  const markets = await client.call("load markets", (ex) => ex.loadMarkets(true));
  const records = Object.values(markets)
    .filter((m): m is MarketInterface => m !== undefined)
    .map((m) => toCachedMarket(client, m, options.nowMs));
  options.cache?.upsert(records);
  client.logger.info("Loaded {count} markets from {exchange}", {
    count: records.length,
    exchange: client.id,
  });
  return new MarketCatalog(client, records, "exchange");
}

/**
 * Kraken's class indexes its markets by altname (`XBTUSD`) in `fetchMarkets`, and its order answers
 * name the pair that way; markets set from the cache skip that index, so orders would parse
 * without a symbol and drop out of order lists. Rebuilt here from the cached markets.
 */
function restoreAltnames(client: ExchangeClient): void {
  const ex = client.ccxt;
  const options = ex.options as Record<string, unknown>;
  if (!("marketsByAltname" in options)) return;
  options.marketsByAltname = ex.indexBy(Object.values(ex.markets ?? {}), "altname");
}

/** The exchange's markets and timeframes, with the config checks. */
export class MarketCatalog {
  readonly #bySymbol: ReadonlyMap<string, CachedMarket>;

  constructor(
    readonly client: ExchangeClient,
    markets: readonly CachedMarket[],
    /** Where the markets came from this time. */
    readonly source: "cache" | "exchange",
  ) {
    this.#bySymbol = new Map(markets.map((m) => [m.symbol, m]));
  }

  /** Every market, by symbol. */
  markets(): CachedMarket[] {
    return this.symbols().map((symbol) => this.#bySymbol.get(symbol)!);
  }

  /** Every symbol, sorted. */
  symbols(): string[] {
    return [...this.#bySymbol.keys()].sort();
  }

  /** The exchange's timeframes as CCXT lists them. */
  timeframes(): string[] {
    return Object.keys(this.client.ccxt.timeframes ?? {});
  }

  /** The market, or a `MarketValidationError` with close matches. */
  market(symbol: string): CachedMarket {
    const market = this.#bySymbol.get(symbol);
    if (market?.active) return market;
    const id = this.client.id;
    if (market) throw new MarketValidationError("symbol", `${symbol} is not active on ${id}`);
    const near = closeMatches(symbol, this.symbols(), { limit: 3 });
    const hint = near.length > 0 ? `; did you mean ${near.join(" or ")}?` : "";
    throw new MarketValidationError("symbol", `${symbol} is not traded on ${id}${hint}`);
  }

  /** Checks a config's symbol and timeframe; returns the market. */
  validate(symbol: string, timeframe: string): CachedMarket {
    const market = this.market(symbol);
    const timeframes = this.timeframes();
    if (timeframes.length > 0 && !timeframes.includes(timeframe)) {
      const reason = `${this.client.id} has no ${timeframe} timeframe; it has ${
        timeframes.join(" ")
      }`;
      throw new MarketValidationError("timeframe", reason);
    }
    return market;
  }
}
