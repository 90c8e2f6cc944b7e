/** CCXT orders and trades as our `Order` and `Fill`. */
import type { Order as CcxtOrder, Trade as CcxtTrade } from "ccxt";
import type { Fill, Order, OrderStatus, OrderType, Side } from "../core/types.ts";

/** Currencies of the market, to turn fees into quote. */
export interface FeeCurrencies {
  readonly base: string;
  readonly quote: string;
}

type FeeLike = { cost?: number; currency?: string } | undefined;

/** Fees in quote; a base-currency fee is valued at `price`; other currencies (BNB) count 0. */
export function feeInQuote(
  fees: readonly FeeLike[],
  price: number | null,
  c: FeeCurrencies,
): number {
  let total = 0;
  for (const fee of fees) {
    if (!fee || !Number.isFinite(fee.cost)) continue;
    if (fee.currency === c.quote) total += fee.cost!;
    else if (fee.currency === c.base && price !== null) total += fee.cost! * price;
  }
  return total;
}

/** Fees charged in the base currency, in base units (Binance's buyer fee unless paid in BNB). */
export function feeInBase(fees: readonly FeeLike[], c: FeeCurrencies): number {
  let total = 0;
  for (const fee of fees) {
    if (fee && Number.isFinite(fee.cost) && fee.currency === c.base) total += fee.cost!;
  }
  return total;
}

function status(o: CcxtOrder): OrderStatus {
  switch (o.status) {
    case "closed":
      return "filled";
    case "canceled":
    case "expired":
      return "canceled";
    case "rejected":
      return "rejected";
    default:
      return (o.filled ?? 0) > 0 ? "partially_filled" : "open";
  }
}

function triggerOf(o: CcxtOrder): number | undefined {
  return o.triggerPrice ?? o.stopPrice ?? o.stopLossPrice;
}

function orderType(o: CcxtOrder): OrderType {
  // Kraken's stop-loss orders parse with `stopLossPrice` only.
  if ((triggerOf(o) ?? 0) > 0) return "stop_market";
  return o.type === "limit" ? "limit" : "market";
}

function fees(o: { fee?: FeeLike; fees?: FeeLike[] }): FeeLike[] {
  return o.fees && o.fees.length > 0 ? o.fees : [o.fee];
}

/** What we know about an order besides CCXT's answer. */
export interface OrderContext extends FeeCurrencies {
  readonly clientOrderId: string;
  readonly symbol: string;
  /** Stands in when the exchange gave no time. */
  readonly nowMs: number;
}

/** The order's trades that CCXT parsed with an id (Binance's FULL create response has them). */
function orderFills(o: CcxtOrder, c: OrderContext, timeMs: number): Fill[] {
  const trades = (o.trades ?? []).filter((t) => t.id !== undefined && t.id !== "");
  return trades.map((t) => {
    const fill = toFill(t, o.clientOrderId ?? c.clientOrderId, c);
    // A create response's fills carry no time or side of their own.
    return { ...fill, side: fill.side ?? (o.side as Side), timeMs: t.timestamp ?? timeMs };
  });
}

/** Our view of a CCXT order. */
export function toOrder(o: CcxtOrder, c: OrderContext): Order {
  const type = orderType(o);
  const orderFees = fees(o);
  const updatedMs = o.lastUpdateTimestamp ?? o.lastTradeTimestamp ?? o.timestamp ?? c.nowMs;
  const fills = orderFills(o, c, updatedMs);
  const averagePrice = (o.filled ?? 0) > 0 ? (o.average ?? o.price ?? null) : null;
  const price = type === "market" ? null : type === "stop_market" ? triggerOf(o) : o.price;
  return {
    clientOrderId: o.clientOrderId ?? c.clientOrderId,
    exchangeOrderId: o.id ?? null,
    symbol: o.symbol ?? c.symbol,
    side: o.side as Side,
    type,
    baseAmount: o.amount ?? 0,
    price: price ?? null,
    status: status(o),
    filledBaseAmount: o.filled ?? 0,
    averagePrice,
    feeQuote: feeInQuote(orderFees, averagePrice, c),
    feeBaseAmount: feeInBase(orderFees, c),
    updatedMs,
    ...(fills.length > 0 ? { fills } : {}),
  };
}

/** True when CCXT parsed something that looks like an order (not a garbled body). */
export function looksLikeOrder(o: CcxtOrder | undefined): o is CcxtOrder {
  return o !== undefined && typeof o.id === "string" && o.id !== "" &&
    typeof o.symbol === "string" &&
    (o.side === "buy" || o.side === "sell") && Number.isFinite(o.amount);
}

/** Our fill for a CCXT trade of the order with `clientOrderId`. */
export function toFill(t: CcxtTrade, clientOrderId: string, c: FeeCurrencies): Fill {
  const tradeFees = fees(t as { fee?: FeeLike; fees?: FeeLike[] });
  return {
    clientOrderId,
    tradeId: String(t.id),
    timeMs: t.timestamp ?? 0,
    side: t.side as Side,
    price: t.price ?? 0,
    baseAmount: t.amount ?? 0,
    feeQuote: feeInQuote(tradeFees, t.price ?? null, c),
    feeBaseAmount: feeInBase(tradeFees, c),
  };
}
