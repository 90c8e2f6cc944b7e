/** Rounds an order with CCXT's precision helpers and checks the market's limits before sending. */
import { OrderRejectedError } from "../core/errors.ts";
import type { OrderRequest } from "../core/types.ts";
import type { ExchangeClient } from "./exchange_client.ts";
import type { CachedMarket } from "./market_catalog.ts";

/** An order ready for CCXT. */
export interface PreparedOrder {
  readonly baseAmount: number;
  readonly price: number | null;
}

/** Why the order cannot be sent, or null; `referencePrice` values a market order. */
export function limitProblem(
  market: CachedMarket,
  order: PreparedOrder,
  referencePrice: number | null,
): string | null {
  const { baseAmount } = order;
  if (!(baseAmount > 0)) return "amount rounds to 0 at the market's precision";
  if (market.minAmount !== null && baseAmount < market.minAmount) {
    return `amount ${baseAmount} ${market.base} is below the minimum ${market.minAmount}`;
  }
  const price = order.price ?? referencePrice;
  if (market.minNotional !== null && price !== null && baseAmount * price < market.minNotional) {
    const notional = Number((baseAmount * price).toPrecision(6));
    return `notional ${notional} ${market.quote} is below the minimum ${market.minNotional} ${market.quote}`;
  }
  return null;
}

/** Rounds amount (down) and price with CCXT's helpers; a rounding failure is a rejection. */
export function roundOrder(client: ExchangeClient, request: OrderRequest): PreparedOrder {
  const ex = client.ccxt;
  const reject = (what: string, error: unknown) =>
    new OrderRejectedError(
      `Cannot submit order ${request.clientOrderId}: ${what} for ${request.symbol} on ${client.id}`,
      { cause: error },
    );
  let baseAmount: number;
  try {
    baseAmount = Number(ex.amountToPrecision(request.symbol, request.baseAmount));
  } catch (error) {
    throw reject(`amount ${request.baseAmount} rounds to 0 at the market's precision`, error);
  }
  if (request.price === null) return { baseAmount, price: null };
  try {
    return { baseAmount, price: Number(ex.priceToPrecision(request.symbol, request.price)) };
  } catch (error) {
    throw reject(`price ${request.price} cannot be rounded to the market's precision`, error);
  }
}

/** Rounds and checks; throws `OrderRejectedError` with the reason before anything is sent. */
export function prepareOrder(
  client: ExchangeClient,
  market: CachedMarket,
  request: OrderRequest,
  referencePrice: number | null,
): PreparedOrder {
  const prepared = roundOrder(client, request);
  const problem = limitProblem(market, prepared, referencePrice);
  if (problem !== null) {
    throw new OrderRejectedError(
      `Cannot submit order ${request.clientOrderId}: ${problem} for ${request.symbol} on ${client.id}`,
    );
  }
  return prepared;
}
