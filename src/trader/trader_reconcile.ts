/**
 * Reconciliation of a trader with its venue: at start and after any unconfirmed send. Orders are
 * looked up by client id and their states applied to the kernel; orders the kernel tracks but that
 * have no row were never sent, so they are sent now; in live mode an order on the account that
 * this instance did not make, or a difference in the balances above dust, pauses new entries
 * (status `paused`, reason on the dashboard).
 */
import { errorMessage, TransientExchangeError } from "../core/errors.ts";
import type { Order } from "../core/types.ts";
import { LOCAL_ORDER_ID, recordToOrder } from "../execution/order_records.ts";
import { balanceMismatch, type BalanceTolerance, reconcileOrders } from "../execution/reconcile.ts";
import { type ForeignOrderWatch, pauseForForeignOrders } from "./foreign_orders.ts";
import type { Trader } from "./trader.ts";

/**
 * The bookkeeping of a venue that holds protective orders itself and polls the exchange's orders
 * (the live venue): reconciliation hands it back what it holds and what to poll.
 */
export interface LiveOrders {
  /** Holds this protective order locally again (its row says the trader, not the exchange, has it). */
  adoptLocal(order: Order): void;
  /** Polls this exchange order on each candle until it is terminal. */
  track(order: Order): void;
  /** Called after each pass: an unconfirmed sell of its own is resolved. */
  reconciled(): void;
}

/** Options of `reconcileTrader`. */
export interface TraderReconcileOptions {
  /** How long a `submitting` order may still appear at the venue (0 for the simulated venue). */
  readonly windowMs: number;
  /** Compare balances with these tolerances (live); null skips the comparison. */
  readonly balanceTolerance: BalanceTolerance | null;
  /** The live venue's bookkeeping; null for the simulated venue, which knows every order. */
  readonly live: LiveOrders | null;
  /** Orders on the account not made by this instance (live); absent or null: not looked for. */
  readonly foreign?: ForeignOrderWatch | null;
}

/** One reconciliation pass; returns how many orders are still unresolved. */
export async function reconcileTrader(
  trader: Trader,
  options: TraderReconcileOptions,
): Promise<number> {
  const { store, name, venue, clock, symbol, logger } = trader.options;
  const live = options.live;
  const rows = store.orders.nonTerminal(name);
  if (live !== null) {
    for (const row of rows) {
      if (row.exchangeOrderId === LOCAL_ORDER_ID && row.status !== "submitting") {
        live.adoptLocal(recordToOrder(row));
      }
    }
  }
  const result = await reconcileOrders(rows, venue, {
    nowMs: clock.nowMs(),
    windowMs: options.windowMs,
  });
  for (const row of result.relocalized) {
    store.orders.update(row.clientOrderId, { status: "open", updatedMs: clock.nowMs() });
    live?.adoptLocal({ ...recordToOrder(row), status: "open" });
  }
  for (const order of result.updates) {
    if (order.status === "failed") {
      logger.warn("Order {cid} unknown to the venue after its window: failed, not resent", {
        cid: order.clientOrderId,
      });
    }
    live?.track(order);
    await trader.applyOrder(order);
  }
  await sendUnsent(trader);
  live?.reconciled();
  trader.manager.needsReconcile = result.pending.length > 0;
  if (options.balanceTolerance !== null && result.pending.length === 0) {
    await compareAccount(trader, symbol, options.balanceTolerance, options.foreign ?? null);
  }
  return result.pending.length;
}

/** Orders the kernel made whose row was never written (killed between two sends). */
async function sendUnsent(trader: Trader): Promise<void> {
  const { store } = trader.options;
  for (const tracked of trader.kernel.snapshot().openOrders) {
    if (store.orders.findByClientId(tracked.order.clientOrderId) !== null) continue;
    trader.options.logger.info("Order {cid} was made but never sent; sending it now", {
      cid: tracked.order.clientOrderId,
    });
    await trader.runCommands([{ kind: "submit", order: tracked.order }]);
  }
}

/** Foreign orders first (they pause on their own), then the balances. */
async function compareAccount(
  trader: Trader,
  symbol: string,
  tolerance: BalanceTolerance,
  foreign: ForeignOrderWatch | null,
) {
  try {
    if (foreign !== null && await pauseForForeignOrders(trader, foreign) !== null) return;
    const exchange = await trader.options.venue.balances(symbol);
    const mismatch = balanceMismatch(trader.kernel.balances, exchange, tolerance);
    if (mismatch !== null) {
      trader.options.logger.error("Reconciliation: {mismatch}; new entries paused", { mismatch });
      trader.pause(mismatch);
    } else {
      trader.resume();
    }
  } catch (error) {
    if (!(error instanceof TransientExchangeError)) throw error;
    trader.noteError(errorMessage(error));
    trader.manager.needsReconcile = true;
  }
}
