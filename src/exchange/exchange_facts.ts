/**
 * What a CCXT exchange class says about an exchange without any request: its timeframes, whether
 * it has a testnet, its OHLCV page size, how far back its OHLCV endpoint reaches, and whether it
 * sends stop-market orders.
 */
import ccxt, { type Exchange } from "ccxt";
import { ohlcvPageLimit } from "./ccxt_feed.ts";
import { exchangeClass } from "./exchange_client.ts";
import { hasStopMarket } from "./stop_market.ts";

/** An exchange's offline facts, read from its CCXT class. */
export interface ExchangeFacts {
  readonly id: string;
  /** Timeframes CCXT maps for `fetchOHLCV`; null when the class lists none. */
  readonly timeframes: readonly string[] | null;
  /** True when CCXT has test URLs for it (`sandbox: true` works). */
  readonly hasSandbox: boolean;
  /** Candles per OHLCV request at most (CCXT's `features.spot.fetchOHLCV.limit`, else 500). */
  readonly ohlcvPageLimit: number;
  /**
   * The endpoint serves only the latest this many candles of a timeframe, whatever `since` asks
   * for; null when older history is served.
   */
  readonly ohlcvWindow: number | null;
  /** False when CCXT's class cannot send a stop-market order (`risk.stop_on_exchange`). */
  readonly hasStopMarket: boolean;
}

/**
 * OHLCV windows that CCXT's classes do not express. Kraken's public OHLC endpoint returns at most
 * the 720 most recent candles of any interval and ignores an older `since`.
 */
const OHLCV_WINDOWS: Readonly<Record<string, number>> = { kraken: 720 };

const known = new Map<string, ExchangeFacts>();

/** The facts of CCXT exchange `id`, or null when `id` is not a CCXT exchange (imported candles). */
export function exchangeFacts(id: string): ExchangeFacts | null {
  if (!ccxt.exchanges.includes(id)) return null;
  let facts = known.get(id);
  if (facts === undefined) {
    facts = factsOf(id, new (exchangeClass(id))());
    known.set(id, facts);
  }
  return facts;
}

function factsOf(id: string, exchange: Exchange): ExchangeFacts {
  const timeframes = Object.keys(exchange.timeframes ?? {});
  return {
    id,
    timeframes: timeframes.length > 0 ? timeframes : null,
    // Some classes declare `urls.test` as undefined, which CCXT's own sandbox check lets through.
    hasSandbox: Boolean(exchange.urls.test),
    ohlcvPageLimit: ohlcvPageLimit(exchange),
    ohlcvWindow: OHLCV_WINDOWS[id] ?? null,
    hasStopMarket: hasStopMarket(id),
  };
}
