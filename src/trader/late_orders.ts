/**
 * Orders that turn up late. A send whose outcome was unknown, and that the exchange did not show
 * within the reconciliation window, is marked `failed` and never sent again. An exchange can
 * still have executed it and only show it later; so every live reconciliation pass first looks
 * such rows up by client id again for a day, and one the exchange now shows is adopted: the
 * kernel tracks it again and books its real status and fills, its row and fills are stored, and
 * the position follows. A stop or take-profit still open becomes the position's own when the
 * position lacks one (its replacement was refused: the late one held the base), and is cancelled
 * when a replacement rests.
 */
import type { EngineKernel } from "../core/engine.ts";
import type { EngineOrder, OrderPurpose } from "../core/engine_types.ts";
import { TransientExchangeError } from "../core/errors.ts";
import { type Order, TERMINAL_ORDER_STATUSES } from "../core/types.ts";
import type { OrderRecord } from "../storage/order_repo.ts";
import type { Trader } from "./trader.ts";
import type { LiveOrders } from "./trader_reconcile.ts";

/** How long after its row a failed, never confirmed order is still looked up. */
export const LATE_ORDER_LOOKUP_MS = 24 * 3_600_000;

const STOPS: ReadonlySet<string> = new Set(["stop_loss", "trailing_stop"]);

/**
 * A reconciliation pass that adopts late orders first (so the balances it compares include
 * them); while a row is still looked for, the trader reconciles again after each candle.
 */
export function withLateOrders(
  trader: Trader,
  live: LiveOrders,
  pass: () => Promise<number>,
): () => Promise<number> {
  return async () => {
    await adoptLateOrders(trader, live);
    const pending = await pass();
    if (lateCandidates(trader).length > 0) trader.manager.needsReconcile = true;
    return pending;
  };
}

/** Looks the failed, never confirmed rows up and adopts those the venue shows; returns how many. */
export async function adoptLateOrders(trader: Trader, live: LiveOrders | null): Promise<number> {
  const { venue, logger } = trader.options;
  let adopted = 0;
  for (const row of lateCandidates(trader)) {
    let found: Order | null;
    try {
      found = await venue.fetchOrder(row.clientOrderId, row.symbol);
    } catch (error) {
      if (!(error instanceof TransientExchangeError)) throw error;
      continue;
    }
    if (found === null) continue;
    adopted++;
    logger.warn(
      "Order {cid} turned up at the venue after it was marked failed: {status}, adopted",
      {
        cid: row.clientOrderId,
        status: found.status,
      },
    );
    const replaced = trackAgain(trader.kernel, row);
    live?.track(found);
    await trader.applyOrder(found);
    if (replaced && !TERMINAL_ORDER_STATUSES.has(found.status)) {
      await trader.runCommands([
        { kind: "cancel", clientOrderId: row.clientOrderId, symbol: row.symbol },
      ]);
    }
  }
  return adopted;
}

function lateCandidates(trader: Trader): OrderRecord[] {
  const { store, name, clock } = trader.options;
  return store.orders.unconfirmedFailed(name, clock.nowMs() - LATE_ORDER_LOOKUP_MS);
}

/**
 * Puts the row's order back among the kernel's open orders, with nothing booked for it yet; a
 * stop or take-profit the position lacks becomes its own. True when it was replaced meanwhile.
 */
function trackAgain(kernel: EngineKernel, row: OrderRecord): boolean {
  const snapshot = kernel.snapshot();
  if (snapshot.openOrders.some((t) => t.order.clientOrderId === row.clientOrderId)) return false;
  const order: EngineOrder = {
    clientOrderId: row.clientOrderId,
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    baseAmount: row.baseAmount,
    price: row.price,
    purpose: row.intent as OrderPurpose,
    reason: row.reason ?? row.intent,
    candleTimeMs: row.candleTimeMs,
    seq: 0,
    quoteAmount: null,
  };
  const tracked = { order, intent: null, filledBaseAmount: 0, notionalQuote: 0, feeQuote: 0 };
  const stop = STOPS.has(row.intent);
  if (!stop && row.intent !== "take_profit") {
    kernel.restore({ ...snapshot, openOrders: [...snapshot.openOrders, tracked] });
    return false;
  }
  const current = stop ? snapshot.stopOrderId : snapshot.takeProfitOrderId;
  const claim = snapshot.position !== null && current === null;
  const own = !claim
    ? {}
    : stop
    ? { stopOrderId: row.clientOrderId, stopPrice: row.price }
    : { takeProfitOrderId: row.clientOrderId };
  kernel.restore({ ...snapshot, ...own, openOrders: [...snapshot.openOrders, tracked] });
  return !claim;
}
