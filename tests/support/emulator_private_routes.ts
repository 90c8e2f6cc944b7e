/** Signed Binance spot endpoints: account, order (POST/GET/DELETE), openOrders, allOrders, myTrades. */
import {
  BinanceError,
  type EmulatorAccount,
  type EmulatorBook,
  generatedClientOrderId,
  isOpen,
} from "./emulator_book.ts";
import { accountJson, newOrderJson, orderJson, tradeJson } from "./emulator_responses.ts";
import { required } from "./emulator_public_routes.ts";

/** What signed routes need: the book, the caller's account, market time and fault hooks. */
export interface PrivateContext {
  readonly book: EmulatorBook;
  readonly account: EmulatorAccount;
  readonly marketNowMs: number;
  /** True when an `insufficient_balance` fault applies to this order. */
  readonly insufficientBalanceFault: () => boolean;
}

/** Handles a signed request; undefined when the path is not a signed endpoint. */
export function privateRoute(
  method: string,
  path: string,
  p: URLSearchParams,
  ctx: PrivateContext,
) {
  ctx.book.match(ctx.marketNowMs);
  switch (`${method} ${path}`) {
    case "GET /api/v3/account":
      return accountJson(
        ctx.account,
        ctx.book.feeRate,
        ctx.marketNowMs,
        p.get("omitZeroBalances") === "true",
      );
    case "POST /api/v3/order":
      return createOrder(p, ctx, false);
    case "POST /api/v3/order/test":
      return createOrder(p, ctx, true);
    case "GET /api/v3/order":
      return orderJson(findOrder(p, ctx));
    case "DELETE /api/v3/order":
      return cancelOrder(p, ctx);
    case "GET /api/v3/openOrders":
      return ordersOf(ctx, p.get("symbol")).filter(isOpen).map(orderJson);
    case "GET /api/v3/allOrders":
      return ordersOf(ctx, required(p, "symbol")).map(orderJson).slice(
        -Number(p.get("limit") ?? 500),
      );
    case "GET /api/v3/myTrades":
      return myTrades(p, ctx);
    default:
      return undefined;
  }
}

function num(p: URLSearchParams, name: string): number | null {
  const v = p.get(name);
  return v === null || v === "" ? null : Number(v);
}

function createOrder(p: URLSearchParams, ctx: PrivateContext, test: boolean): unknown {
  const symbol = required(p, "symbol");
  const type = required(p, "type");
  let quantity = num(p, "quantity");
  const quoteQty = num(p, "quoteOrderQty");
  if (quantity === null && quoteQty !== null && type === "MARKET") {
    const step = Number(ctx.book.spec(symbol).stepSize);
    const price = ctx.book.priceAt(symbol, ctx.marketNowMs);
    quantity = Math.floor(quoteQty / price / step) * step;
  }
  if (ctx.insufficientBalanceFault()) {
    throw new BinanceError(400, -2010, "Account has insufficient balance for requested action.");
  }
  const order = {
    symbol,
    side: required(p, "side"),
    type,
    quantity: quantity ?? 0,
    price: num(p, "price"),
    stopPrice: num(p, "stopPrice"),
    timeInForce: p.get("timeInForce"),
    clientOrderId: p.get("newClientOrderId") ?? generatedClientOrderId(),
  };
  if (test) return {};
  const tradesBefore = ctx.book.trades.length;
  const placed = ctx.book.place(ctx.account, order, ctx.marketNowMs);
  const fills = ctx.book.trades.slice(tradesBefore).filter((t) => t.orderId === placed.orderId);
  const defaultType = type === "MARKET" || type === "LIMIT" ? "FULL" : "ACK";
  return newOrderJson(placed, p.get("newOrderRespType") ?? defaultType, fills);
}

function findOrder(p: URLSearchParams, ctx: PrivateContext) {
  const symbol = required(p, "symbol");
  ctx.book.spec(symbol);
  const orderId = num(p, "orderId");
  const clientOrderId = p.get("origClientOrderId") ?? undefined;
  if (orderId === null && !clientOrderId) {
    throw new BinanceError(
      400,
      -1102,
      "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
    );
  }
  const order = ctx.book.find(ctx.account.apiKey, symbol, {
    orderId: orderId ?? undefined,
    clientOrderId,
  });
  if (!order) throw new BinanceError(400, -2013, "Order does not exist.");
  return order;
}

function cancelOrder(p: URLSearchParams, ctx: PrivateContext): unknown {
  let order = null;
  try {
    order = findOrder(p, ctx);
  } catch (e) {
    if (!(e instanceof BinanceError) || e.code !== -2013) throw e;
  }
  const canceled = ctx.book.cancel(ctx.account, order, ctx.marketNowMs);
  const json = orderJson(canceled);
  return {
    symbol: canceled.symbol,
    origClientOrderId: canceled.clientOrderId,
    orderId: canceled.orderId,
    orderListId: -1,
    clientOrderId: p.get("newClientOrderId") ?? `cancel${canceled.orderId}`,
    transactTime: ctx.marketNowMs,
    price: json.price,
    origQty: json.origQty,
    executedQty: json.executedQty,
    cummulativeQuoteQty: json.cummulativeQuoteQty,
    status: "CANCELED",
    timeInForce: json.timeInForce,
    type: json.type,
    side: json.side,
    selfTradePreventionMode: "EXPIRE_MAKER",
  };
}

function ordersOf(ctx: PrivateContext, symbol: string | null) {
  if (symbol) ctx.book.spec(symbol);
  return ctx.book.orders.filter((o) =>
    o.apiKey === ctx.account.apiKey && (symbol === null || o.symbol === symbol)
  );
}

function myTrades(p: URLSearchParams, ctx: PrivateContext): unknown[] {
  const symbol = required(p, "symbol");
  ctx.book.spec(symbol);
  const start = num(p, "startTime");
  const end = num(p, "endTime");
  const fromId = num(p, "fromId");
  const orderId = num(p, "orderId");
  const limit = Math.min(1000, num(p, "limit") ?? 500);
  const rows = ctx.book.trades.filter((t) =>
    t.apiKey === ctx.account.apiKey && t.symbol === symbol &&
    (start === null || t.timeMs >= start) && (end === null || t.timeMs <= end) &&
    (fromId === null || t.id >= fromId) && (orderId === null || t.orderId === orderId)
  );
  const page = start === null && fromId === null ? rows.slice(-limit) : rows.slice(0, limit);
  return page.map(tradeJson);
}
