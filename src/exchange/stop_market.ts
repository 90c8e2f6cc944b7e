/**
 * Which exchanges take a stop-market order through CCXT (`risk.stop_on_exchange`). CCXT's coinbase
 * class makes every trigger order a stop-limit (`stop_limit_stop_limit_gtc`), so a stop at market
 * is refused there. Kept apart from CCXT so that config loading never imports it.
 */

const NO_STOP_MARKET: ReadonlySet<string> = new Set(["coinbase", "coinbaseadvanced"]);

/** False when CCXT's class of exchange `id` cannot send a stop-market order. */
export function hasStopMarket(id: string): boolean {
  return !NO_STOP_MARKET.has(id);
}
