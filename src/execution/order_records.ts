/** Conversions between the venue's `Order`, the stored `OrderRecord` and the fills an update adds. */
import type { EngineOrder } from "../core/engine_types.ts";
import type { Fill, Order, OrderStatus } from "../core/types.ts";
import type { OrderRecord } from "../storage/order_repo.ts";

/** `exchangeOrderId` of a protective order the trader holds itself instead of the exchange. */
export const LOCAL_ORDER_ID = "local";

/** The venue's view of a stored order. */
export function recordToOrder(row: OrderRecord): Order {
  return {
    clientOrderId: row.clientOrderId,
    exchangeOrderId: row.exchangeOrderId,
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    baseAmount: row.baseAmount,
    price: row.price,
    status: row.status,
    filledBaseAmount: row.filledBaseAmount,
    averagePrice: row.averagePrice,
    feeQuote: row.feeQuote,
    updatedMs: row.updatedMs,
  };
}

/** The row written before an order is sent (or refused). */
export function newOrderRecord(
  order: EngineOrder,
  ids: { instance: string; exchange: string; nowMs: number },
  status: OrderStatus,
  error: string | null = null,
): OrderRecord {
  return {
    clientOrderId: order.clientOrderId,
    exchangeOrderId: null,
    instance: ids.instance,
    exchange: ids.exchange,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    baseAmount: order.baseAmount,
    price: order.price,
    status,
    filledBaseAmount: 0,
    averagePrice: null,
    feeQuote: 0,
    feeBaseAmount: 0,
    intent: order.purpose,
    reason: order.reason,
    candleTimeMs: order.candleTimeMs,
    createdMs: ids.nowMs,
    updatedMs: ids.nowMs,
    error,
  };
}

/** An order in a given status with nothing filled, e.g. refused before it was sent. */
export function withStatus(order: Order, status: OrderStatus, updatedMs: number): Order {
  return { ...order, status, updatedMs };
}

/**
 * The fills an update adds to what the row already holds (`stored`): the venue's own executions
 * not stored yet when they make up exactly the amount added, so the DB holds the exchange's
 * trades; else one fill for the difference (`fillDelta`).
 */
export function newFills(row: OrderRecord, order: Order, stored: readonly Fill[]): Fill[] {
  const delta = fillDelta(row, order, stored.length + 1);
  if (delta === null) return [];
  const known = new Set(stored.map((fill) => fill.tradeId));
  const fresh = (order.fills ?? []).filter((fill) => !known.has(fill.tradeId));
  const baseAmount = fresh.reduce((sum, fill) => sum + fill.baseAmount, 0);
  if (fresh.length === 0 || Math.abs(baseAmount - delta.baseAmount) > delta.baseAmount * 1e-9) {
    return [delta];
  }
  return fresh.map((fill) => ({ ...fill, clientOrderId: row.clientOrderId }));
}

/**
 * The fill an update adds to what the row already holds, or null. The price is the incremental
 * one (so the sum of fills equals the order's average × filled), like the kernel books it.
 */
export function fillDelta(row: OrderRecord, order: Order, fillIndex: number): Fill | null {
  const deltaBase = order.filledBaseAmount - row.filledBaseAmount;
  if (!(deltaBase > 0) || order.averagePrice === null) return null;
  const before = row.averagePrice === null ? 0 : row.averagePrice * row.filledBaseAmount;
  const price = row.filledBaseAmount === 0
    ? order.averagePrice
    : (order.averagePrice * order.filledBaseAmount - before) / deltaBase;
  return {
    clientOrderId: order.clientOrderId,
    tradeId: `${order.clientOrderId}-${fillIndex}`,
    timeMs: order.updatedMs,
    side: order.side,
    price,
    baseAmount: deltaBase,
    feeQuote: order.feeQuote - row.feeQuote,
    feeBaseAmount: order.feeBaseAmount === undefined
      ? 0
      : order.feeBaseAmount - (row.feeBaseAmount ?? 0),
  };
}
