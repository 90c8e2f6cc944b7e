/**
 * Each CCXT exchange's timeframes and whether it has a testnet, as its class says offline:
 * what config loading checks, without importing CCXT. Generated from the installed CCXT by
 * `deno run -A tools/exchange_rules/generate.ts`; a test fails when it no longer matches.
 */

/** An exchange's offline rules (config/exchange_checks.ts's `ExchangeRules`). */
export interface OfflineExchangeRules {
  readonly id: string;
  /** Timeframes CCXT maps for `fetchOHLCV`; null when the class lists none. */
  readonly timeframes: readonly string[] | null;
  readonly hasSandbox: boolean;
}

/** id: [timeframes separated by spaces, has a testnet]. */
const RULES: Readonly<Record<string, readonly [string | null, boolean]>> = {
  "alpaca": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", true],
  "apex": ["1m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w 1M", true],
  "aster": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", false],
  "backpack": ["15 30 1m 3m 5m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", false],
  "bequant": ["1m 3m 5m 15m 30m 1h 4h 1d 1w 1M", true],
  "bigone": ["1m 5m 15m 30m 1h 3h 4h 6h 12h 1d 1w 1M", false],
  "binance": ["1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", true],
  "binancecoinm": ["1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", true],
  "binanceus": ["1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", true],
  "binanceusdm": ["1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", true],
  "bingx": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 3d 1w 1M", true],
  "bit2c": [null, false],
  "bitbank": ["1m 5m 15m 30m 1h 4h 8h 12h 1d 1w", false],
  "bitbns": [null, false],
  "bitfinex": ["1m 5m 15m 30m 1h 3h 4h 6h 12h 1d 1w 2w 1M", false],
  "bitflyer": [null, false],
  "bitget": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 3d 1w 1M", false],
  "bithumb": ["1m 3m 5m 10m 15m 30m 1h 4h", false],
  "bitopro": ["1m 5m 15m 30m 1h 3h 6h 12h 1d 1w 1M", false],
  "bitrue": ["1m 5m 15m 30m 1h 2h 4h 1d 1w", false],
  "bitso": ["1m 5m 15m 30m 1h 4h 12h 1d 1w", true],
  "bitstamp": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w", false],
  "bitteam": ["1m 5m 15m 1h 1d", false],
  "bittrade": ["1m 5m 15m 30m 1h 4h 1d 1w 1M 1y", false],
  "bitvavo": ["1m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d", false],
  "blockchaincom": ["1m 5m 15m 1h 6h 1d", true],
  "blofin": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", true],
  "btcbox": [null, false],
  "btcmarkets": ["1m 1h 1d", false],
  "btcturk": ["1m 15m 30m 1h 4h 1d 1w 1y", false],
  "btse": ["1m 5m 15m 30m 1h 4h 6h 1d 1w 1M", true],
  "bullish": ["1m 5m 30m 1h 6h 12h 1d", true],
  "bybit": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w 1M", true],
  "bybiteu": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w 1M", true],
  "bybitid": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w 1M", true],
  "bydfi": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d", false],
  "cex": ["1m 5m 15m 30m 1h 2h 4h 1d", false],
  "coinbase": ["1m 5m 15m 30m 1h 2h 6h 1d", false],
  "coinbaseexchange": ["1m 5m 15m 1h 6h 1d", true],
  "coinbaseinternational": ["1m 5m 15m 30m 1h 2h 6h 1d", true],
  "coincheck": [null, false],
  "coinex": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 3d 1w", false],
  "coinmate": [null, false],
  "coinone": [null, false],
  "coinsph": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", false],
  "coinspot": [null, false],
  "cryptocom": ["1m 5m 15m 30m 1h 4h 6h 12h 1d 1w 2w 1M", true],
  "cryptomus": [null, false],
  "deepcoin": ["1m 5m 15m 30m 1h 4h 12h 1d 1w 1M 1y", false],
  "delta": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 1d 7d 1w 2w 1M", true],
  "deribit": ["1m 3m 5m 10m 15m 30m 1h 2h 3h 6h 12h 1d", true],
  "derive": ["1m 3m 5m 15m 30m 1h 2h 4h 8h 12h 1d 3d 1w 1M", true],
  "digifinex": ["1m 5m 15m 30m 1h 4h 12h 1d 1w", false],
  "dydx": ["1m 5m 15m 30m 1h 4h 1d", true],
  "extended": ["1m 5m 15m 30m 1h 2h 4h 8h 12h 1d 1w 1M", true],
  "fmfwio": ["1m 3m 5m 15m 30m 1h 4h 1d 1w 1M", true],
  "foxbit": ["1m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w 2w 1M", false],
  "gate": ["10s 1m 5m 15m 30m 1h 2h 4h 8h 1d 7d 1w", true],
  "gateeu": ["10s 1m 5m 15m 30m 1h 2h 4h 8h 1d 7d 1w", true],
  "gemini": ["1m 5m 15m 30m 1h 6h 1d", true],
  "grvt": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 5d 1w 2w 3w 4w", true],
  "hashkey": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w 1M", true],
  "hibachi": ["1m 5m 15m 1h 4h 1d 1w", false],
  "hitbtc": ["1m 3m 5m 15m 30m 1h 4h 1d 1w 1M", true],
  "hollaex": ["1m 5m 15m 1h 4h 1d 1w", true],
  "htx": ["1m 5m 15m 30m 1h 4h 1d 1w 1M 1y", false],
  "hyperliquid": ["1m 3m 5m 15m 30m 1h 2h 4h 8h 12h 1d 3d 1w 1M", true],
  "independentreserve": [null, false],
  "indodax": ["1m 15m 30m 1h 4h 1d 3d 1w", false],
  "kraken": ["1m 5m 15m 30m 1h 4h 1d 1w 2w", false],
  "krakenfutures": ["1m 5m 15m 30m 1h 4h 12h 1d 1w", true],
  "kucoin": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w 1M", false],
  "kucoinfutures": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w 1M", false],
  "latoken": [null, false],
  "lbank": ["1m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w", false],
  "lighter": ["1m 5m 15m 30m 1h 4h 12h 1d 1w", true],
  "luno": ["1m 5m 15m 30m 1h 3h 4h 1d 3d 1w", false],
  "mercado": ["15m 1h 3h 1d 1w 1M", false],
  "mexc": ["1m 5m 15m 30m 1h 4h 8h 1d 1w 1M", false],
  "modetrade": ["1m 5m 15m 30m 1h 4h 12h 1d 1w 1M 1y", true],
  "mudrex": ["1m 3m 5m 10m 15m 30m 1h 4h 6h 12h 1d 1w 1M", false],
  "myokx": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w 1M 3M", true],
  "nado": ["1m 5m 15m 1h 2h 4h 1d 1w 4w", true],
  "ndax": ["1m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w 1M 4M", true],
  "okx": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w 1M 3M", true],
  "okxus": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w 1M 3M", true],
  "onetrading": ["1m 5m 15m 30m 1h 4h 1d 1w 1M", false],
  "p2b": ["1m 1h 1d", false],
  "pacifica": ["1m 3m 5m 15m 30m 1h 2h 4h 8h 12h 1d 1w 1M", true],
  "paradex": ["1m 3m 5m 15m 30m 1h", true],
  "paymium": [null, false],
  "phemex": ["1m 3m 5m 15m 30m 1h 2h 3h 4h 6h 12h 1d 1w 1M 3M 1Y", true],
  "poloniex": ["1m 5m 10m 15m 30m 1h 2h 4h 6h 12h 1d 3d 1w 1M", true],
  "revolutx": ["1m 5m 15m 30m 1h 4h 1d 2d 4d 1w 2w 4w", false],
  "tokocrypto": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", false],
  "toobit": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w 1M", false],
  "upbit": ["1s 1m 3m 5m 10m 15m 30m 1h 4h 1d 1w 1M 1y", false],
  "weex": ["1m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w 1M", true],
  "whitebit": ["1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M", false],
  "woo": ["1m 5m 15m 30m 1h 4h 12h 1d 1w 1M 1y", true],
  "woofipro": ["1m 5m 15m 30m 1h 4h 12h 1d 1w 1M 1y", true],
  "xt": ["1m 5m 15m 30m 1h 2h 4h 6h 8h 1d 3d 1w 1M", false],
  "zaif": [null, false],
  "zebpay": ["1m 5m 15m 30m 1h 2h 4h 12h 1d 1w", true],
};

/** The rules of CCXT exchange `id`, or null when `id` is not a CCXT exchange (imported candles). */
export function exchangeRules(id: string): OfflineExchangeRules | null {
  const row = Object.hasOwn(RULES, id) ? RULES[id] : undefined;
  if (row === undefined) return null;
  const timeframes = row[0] === null ? null : row[0] === "" ? [] : row[0].split(" ");
  return { id, timeframes, hasSandbox: row[1] };
}

/** Every exchange id in the table. */
export const EXCHANGE_RULE_IDS: readonly string[] = Object.keys(RULES);
