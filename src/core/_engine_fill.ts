/** The fill an order update adds to what the kernel already booked for that order. */
import type { BookFill } from "./_engine_book.ts";
import type { TrackedOrder } from "./engine_types.ts";
import type { Order } from "./types.ts";

/** A `BookFill` the kernel refills for each update (the book reads it during the call). */
export type FillScratch = { -readonly [K in keyof BookFill]: BookFill[K] };

/** A fill scratch to pass to `fillSince`. */
export function fillScratch(): FillScratch {
  return {
    baseAmount: 0,
    price: 0,
    notionalQuote: 0,
    feeQuote: 0,
    feeBaseAmount: 0,
    feeBaseQuote: 0,
    timeMs: 0,
  };
}

/**
 * The part of `order` filled since `tracked` last saw it (updating `tracked`), written into
 * `fill` and returned, or null.
 */
export function fillSince(tracked: TrackedOrder, order: Order, fill: FillScratch): BookFill | null {
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
  fill.baseAmount = deltaBase;
  fill.price = price;
  fill.notionalQuote = notional;
  fill.feeQuote = order.feeQuote - tracked.feeQuote;
  fill.feeBaseAmount = feeBase;
  fill.feeBaseQuote = feeBase === 0 ? 0 : feeBase * price;
  fill.timeMs = order.updatedMs;
  tracked.filledBaseAmount = order.filledBaseAmount;
  tracked.notionalQuote += notional;
  tracked.feeQuote = order.feeQuote;
  if (feeBase !== 0) tracked.feeBaseAmount = order.feeBaseAmount;
  return fill;
}
