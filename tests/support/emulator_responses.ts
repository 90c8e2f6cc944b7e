/** Binance JSON shapes for orders, trades, klines and the account (strings with 8 decimals). */
import { partialCandle, type SourceCandle } from "./candle_source.ts";
import type { EmulatorAccount, EmulatorOrder, EmulatorTrade } from "./emulator_book.ts";
import { fmt8 } from "./emulator_markets.ts";

/** A kline row; the candle containing `nowMs` is returned pro-rated (still open). */
export function klineRow(c: SourceCandle, intervalMs: number, nowMs: number): unknown[] {
  const k = c.openTimeMs + intervalMs > nowMs ? partialCandle(c, intervalMs, nowMs) : c;
  const quoteVolume = k.volume * (k.open + k.close) / 2;
  return [
    k.openTimeMs,
    fmt8(k.open),
    fmt8(k.high),
    fmt8(k.low),
    fmt8(k.close),
    fmt8(k.volume),
    k.openTimeMs + intervalMs - 1,
    fmt8(quoteVolume),
    Math.max(1, Math.round(k.volume * 10)),
    fmt8(k.volume / 2),
    fmt8(quoteVolume / 2),
    "0",
  ];
}

/** GET /api/v3/order and openOrders shape. */
export function orderJson(o: EmulatorOrder): Record<string, unknown> {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    price: fmt8(o.price),
    origQty: fmt8(o.origQty),
    executedQty: fmt8(o.executedQty),
    cummulativeQuoteQty: fmt8(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce ?? "GTC",
    type: o.type,
    side: o.side,
    stopPrice: fmt8(o.stopPrice),
    icebergQty: "0.00000000",
    time: o.timeMs,
    updateTime: o.updateTimeMs,
    isWorking: o.type === "LIMIT" || o.type === "MARKET",
    workingTime: o.timeMs,
    origQuoteOrderQty: "0.00000000",
    selfTradePreventionMode: "EXPIRE_MAKER",
  };
}

/** POST /api/v3/order response for `newOrderRespType` ACK, RESULT or FULL. */
export function newOrderJson(
  o: EmulatorOrder,
  respType: string,
  fills: readonly EmulatorTrade[],
): Record<string, unknown> {
  const ack = {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    transactTime: o.timeMs,
  };
  if (respType === "ACK") return ack;
  const result = {
    ...ack,
    price: fmt8(o.price),
    origQty: fmt8(o.origQty),
    executedQty: fmt8(o.executedQty),
    origQuoteOrderQty: "0.00000000",
    cummulativeQuoteQty: fmt8(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce ?? "GTC",
    type: o.type,
    side: o.side,
    ...(o.stopPrice ? { stopPrice: fmt8(o.stopPrice) } : {}),
    workingTime: o.timeMs,
    selfTradePreventionMode: "EXPIRE_MAKER",
  };
  if (respType === "RESULT") return result;
  const fillRows = fills.map((t) => ({
    price: fmt8(t.price),
    qty: fmt8(t.qty),
    commission: fmt8(t.commission),
    commissionAsset: t.commissionAsset,
    tradeId: t.id,
  }));
  return { ...result, fills: fillRows };
}

/** GET /api/v3/myTrades row. */
export function tradeJson(t: EmulatorTrade): Record<string, unknown> {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    orderListId: -1,
    price: fmt8(t.price),
    qty: fmt8(t.qty),
    quoteQty: fmt8(t.quoteQty),
    commission: fmt8(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.timeMs,
    isBuyer: t.isBuyer,
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}

/** GET /api/v3/account. */
export function accountJson(
  a: EmulatorAccount,
  feeRate: number,
  nowMs: number,
  omitZero: boolean,
): Record<string, unknown> {
  const balances = [...a.balances.entries()]
    .filter(([, b]) => !omitZero || b.free > 0 || b.locked > 0)
    .map(([asset, b]) => ({ asset, free: fmt8(b.free), locked: fmt8(b.locked) }));
  const bps = Math.round(feeRate * 10_000);
  return {
    makerCommission: bps,
    takerCommission: bps,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: {
      maker: fmt8(feeRate),
      taker: fmt8(feeRate),
      buyer: fmt8(0),
      seller: fmt8(0),
    },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: nowMs,
    accountType: "SPOT",
    balances,
    permissions: ["SPOT"],
    uid: 354937868,
  };
}
