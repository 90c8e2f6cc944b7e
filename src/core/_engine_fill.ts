/** The fill an order update adds to what the kernel already booked for that order. */
import type { BookFill } from "./_engine_book.ts";
import type { TrackedOrder } from "./engine_types.ts";
import type { Order } from "./types.ts";

/** The part of `order` filled since `tracked` last saw it (updating `tracked`), or null. */
export function fillSince(tracked: TrackedOrder, order: Order): BookFill | null {
  const deltaBase = order.filledBaseAmount - tracked.filledBaseAmount;
  if (!(deltaBase > 0) || order.averagePrice === null) return null;
  const first = tracked.filledBaseAmount === 0;
  // A single fill keeps its exact price; later fills are the change in average × amount.
  const notional = first
    ? order.averagePrice * deltaBase
    : order.averagePrice * order.filledBaseAmount - tracked.notionalQuote;
  const price = first ? order.averagePrice : notional / deltaBase;
  // Fees charged in base (Binance's buyer fee) shrink the base received; valued at this price.
  const feeBase = order.feeBaseAmount === undefined
    ? 0
    : order.feeBaseAmount - (tracked.feeBaseAmount ?? 0);
  const fill: BookFill = {
    baseAmount: deltaBase,
    price,
    notionalQuote: notional,
    feeQuote: order.feeQuote - tracked.feeQuote,
    feeBaseAmount: feeBase,
    feeBaseQuote: feeBase === 0 ? 0 : feeBase * price,
    timeMs: order.updatedMs,
  };
  tracked.filledBaseAmount = order.filledBaseAmount;
  tracked.notionalQuote += notional;
  tracked.feeQuote = order.feeQuote;
  if (feeBase !== 0) tracked.feeBaseAmount = order.feeBaseAmount;
  return fill;
}
