/** Markets for tests: a CCXT spot market structure, and a cached market row. */
import type { MarketRecord } from "../../src/core/types.ts";

/** A spot market as CCXT holds it (`setMarkets`), enough to parse trades and create orders. */
export function ccxtSpotMarket(marketId: string, symbol: string): Record<string, unknown> {
  const [base, quote] = symbol.split("/");
  return {
    id: marketId,
    symbol,
    base,
    quote,
    baseId: base,
    quoteId: quote,
    type: "spot",
    spot: true,
    active: true,
    precision: { amount: 0.00001, price: 0.01 },
    limits: { amount: {}, price: {}, cost: {} },
    // Binance checks the order type against the symbol's filters.
    info: { orderTypes: ["LIMIT", "MARKET"] },
  };
}

/** A cached market row of `exchange` with a minimum order value of `minNotional` quote. */
export function cachedMarket(exchange: string, symbol: string, minNotional: number): MarketRecord {
  const [base, quote] = symbol.split("/");
  return {
    exchange,
    symbol,
    base,
    quote,
    active: true,
    amountStep: 0.00001,
    priceStep: 0.01,
    minAmount: 0.00001,
    minNotional,
    makerFee: 0.001,
    takerFee: 0.001,
    timeframes: null,
    raw: { symbol, base, quote },
    fetchedMs: 0,
  };
}
