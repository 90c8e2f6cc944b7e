/**
 * The CCXT params that put our client order id on a create request. CCXT maps `clientOrderId` to
 * each exchange's field (Binance `newClientOrderId`, Bybit `orderLinkId`, Kraken `cl_ord_id`),
 * except on Coinbase: CCXT 4.5.84's `coinbase.createOrder` drops `clientOrderId` and sends its own
 * `ccxt-<uuid>`, so ours goes in as the raw `client_order_id`.
 */
export function clientIdParams(exchangeId: string, clientOrderId: string): Record<string, string> {
  if (exchangeId === "coinbase") return { clientOrderId, client_order_id: clientOrderId };
  return { clientOrderId };
}
