/**
 * Kraken's spot pairs and assets as the emulator lists them (`/0/public/AssetPairs`, `/0/public/Assets`),
 * with Kraken's own ids (`XXBTZUSD`, `XXBT`, `ZUSD`), order minimums (`ordermin` in base,
 * `costmin` in quote), tick sizes and fee tiers. The matching book knows each pair by
 * `<BASE><QUOTE>` of the candle files (`kraken_BTC-USD_1h.csv` → `BTCUSD`).
 */
import type { SymbolSpec } from "./emulator_markets.ts";

/** One Kraken asset. */
export interface KrakenAsset {
  /** Kraken's id: `XXBT`, `ZUSD`, `SOL`. */
  readonly id: string;
  /** Kraken's short name: `XBT`, `USD`, `SOL`. */
  readonly altname: string;
  readonly decimals: number;
  readonly displayDecimals: number;
}

/** One Kraken spot pair. */
export interface KrakenPair {
  /** Kraken's pair id: `XXBTZUSD`. */
  readonly id: string;
  /** `XBTUSD`; Kraken accepts it wherever a pair id goes. */
  readonly altname: string;
  /** `XBT/USD`. */
  readonly wsname: string;
  readonly base: KrakenAsset;
  readonly quote: KrakenAsset;
  /** The book's symbol: `BTCUSD` (candle file names use BTC, not XBT). */
  readonly bookSymbol: string;
  readonly pairDecimals: number;
  readonly lotDecimals: number;
  readonly costDecimals: number;
  /** Smallest order volume, in base. */
  readonly ordermin: string;
  /** Smallest order cost, in quote. */
  readonly costmin: string;
  readonly tickSize: string;
  /** Price used when no candle data covers the market clock. */
  readonly fallbackPrice: number;
}

function asset(id: string, altname: string, decimals: number, displayDecimals: number) {
  return { id, altname, decimals, displayDecimals };
}

/** Assets the emulator lists. */
export const KRAKEN_ASSETS = {
  XXBT: asset("XXBT", "XBT", 10, 5),
  XETH: asset("XETH", "ETH", 10, 5),
  SOL: asset("SOL", "SOL", 10, 5),
  ZUSD: asset("ZUSD", "USD", 4, 2),
  USDT: asset("USDT", "USDT", 8, 4),
} as const satisfies Record<string, KrakenAsset>;

const A = KRAKEN_ASSETS;

/** Pairs the emulator lists; BTC/USD has bundled candles (`data/samples/kraken_BTC-USD_*.csv`). */
export const KRAKEN_PAIRS: readonly KrakenPair[] = [
  pair("XXBTZUSD", "XBTUSD", A.XXBT, A.ZUSD, "BTCUSD", [1, 8, 5], "0.00005", "0.5", "0.1", 25000),
  pair("XBTUSDT", "XBTUSDT", A.XXBT, A.USDT, "BTCUSDT", [1, 8, 5], "0.00005", "0.5", "0.1", 25000),
  pair("XETHZUSD", "ETHUSD", A.XETH, A.ZUSD, "ETHUSD", [2, 8, 5], "0.002", "0.5", "0.01", 1600),
  pair("SOLUSD", "SOLUSD", A.SOL, A.ZUSD, "SOLUSD", [2, 8, 5], "0.02", "0.5", "0.01", 20),
  pair("SOLUSDT", "SOLUSDT", A.SOL, A.USDT, "SOLUSDT", [2, 8, 5], "0.02", "0.5", "0.01", 20),
];

function pair(
  id: string,
  altname: string,
  base: KrakenAsset,
  quote: KrakenAsset,
  bookSymbol: string,
  [pairDecimals, lotDecimals, costDecimals]: [number, number, number],
  ordermin: string,
  costmin: string,
  tickSize: string,
  fallbackPrice: number,
): KrakenPair {
  const wsname = `${base.altname}/${quote.altname}`;
  return {
    id,
    altname,
    wsname,
    base,
    quote,
    bookSymbol,
    pairDecimals,
    lotDecimals,
    costDecimals,
    ordermin,
    costmin,
    tickSize,
    fallbackPrice,
  };
}

/** Kraken's starter fee tiers: 30-day volume in USD → percent. */
const TAKER_TIERS = [[0, 0.4], [10_000, 0.35], [50_000, 0.24], [100_000, 0.22]];
const MAKER_TIERS = [[0, 0.25], [10_000, 0.2], [50_000, 0.14], [100_000, 0.12]];

/** Kraken's fees at the lowest tier, as rates (0.4 % taker, 0.25 % maker). */
export const KRAKEN_TAKER_RATE = TAKER_TIERS[0][1] / 100;
export const KRAKEN_MAKER_RATE = MAKER_TIERS[0][1] / 100;

/** The pair's rules in the shape the shared matching book checks. */
export function bookSpec(p: KrakenPair): SymbolSpec {
  return {
    symbol: p.bookSymbol,
    baseAsset: p.base.id,
    quoteAsset: p.quote.id,
    tickSize: p.tickSize,
    stepSize: (10 ** -p.lotDecimals).toFixed(p.lotDecimals),
    minQty: p.ordermin,
    maxQty: "100000000",
    minNotional: p.costmin,
    notionalFilter: "NOTIONAL",
    fallbackPrice: p.fallbackPrice,
  };
}

/** The `/0/public/AssetPairs` result. */
export function assetPairsResult(pairs: readonly KrakenPair[]): Record<string, unknown> {
  return Object.fromEntries(pairs.map((p) => [p.id, {
    altname: p.altname,
    wsname: p.wsname,
    aclass_base: "currency",
    base: p.base.id,
    aclass_quote: "currency",
    quote: p.quote.id,
    lot: "unit",
    cost_decimals: p.costDecimals,
    pair_decimals: p.pairDecimals,
    lot_decimals: p.lotDecimals,
    lot_multiplier: 1,
    leverage_buy: [],
    leverage_sell: [],
    fees: TAKER_TIERS,
    fees_maker: MAKER_TIERS,
    fee_volume_currency: "ZUSD",
    margin_call: 80,
    margin_stop: 40,
    ordermin: p.ordermin,
    costmin: p.costmin,
    tick_size: p.tickSize,
    status: "online",
  }]));
}

/** The `/0/public/Assets` result. */
export function assetsResult(assets: readonly KrakenAsset[]): Record<string, unknown> {
  return Object.fromEntries(assets.map((a) => [a.id, {
    aclass: "currency",
    altname: a.altname,
    decimals: a.decimals,
    display_decimals: a.displayDecimals,
    status: "enabled",
  }]));
}

/** Kraken's OHLC intervals, in minutes (`interval=60`). */
export const KRAKEN_INTERVALS_MIN: readonly number[] = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600];

/** Kraken serves only the latest 720 candles of an interval, whatever `since` asks for. */
export const KRAKEN_OHLC_WINDOW = 720;
