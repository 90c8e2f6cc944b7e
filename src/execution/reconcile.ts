/**
 * Reconciliation with the venue, at start and after any unconfirmed send: every order that is not
 * terminal is looked up by client id, and the balances are compared with what the kernel booked.
 */
import { TransientExchangeError } from "../core/errors.ts";
import type { ExecutionClient } from "../core/ports.ts";
import type { Balances, Order } from "../core/types.ts";
import type { OrderRecord } from "../storage/order_repo.ts";
import { LOCAL_ORDER_ID, recordToOrder } from "./order_records.ts";

/** What looking the open rows up found. */
export interface OrderReconciliation {
  /** Venue states to apply to the kernel (and record), including rows now `failed`. */
  readonly updates: Order[];
  /** Rows still unresolved (inside their window, or the venue did not answer). */
  readonly pending: OrderRecord[];
  /** Local protective orders whose triggered send never arrived: held locally again. */
  readonly relocalized: OrderRecord[];
}

/** Options of `reconcileOrders`. */
export interface ReconcileOptions {
  /** Now, on the clock rows were written with. */
  readonly nowMs: number;
  /** How long after its row a `submitting` order may still appear at the venue. */
  readonly windowMs: number;
}

/** Looks up every non-terminal row at the venue; unknown `submitting` rows past the window fail. */
export async function reconcileOrders(
  rows: readonly OrderRecord[],
  venue: Pick<ExecutionClient, "fetchOrder">,
  options: ReconcileOptions,
): Promise<OrderReconciliation> {
  const result = {
    updates: [] as Order[],
    pending: [] as OrderRecord[],
    relocalized: [] as OrderRecord[],
  };
  for (const row of rows) {
    const local = row.exchangeOrderId === LOCAL_ORDER_ID;
    if (local && row.status !== "submitting") continue; // held by the trader, not the venue
    let found: Order | null;
    try {
      found = await venue.fetchOrder(row.clientOrderId, row.symbol);
    } catch (error) {
      if (!(error instanceof TransientExchangeError)) throw error;
      result.pending.push(row);
      continue;
    }
    if (found !== null) {
      result.updates.push(found);
    } else if (row.status === "submitting" && options.nowMs - row.createdMs < options.windowMs) {
      result.pending.push(row);
    } else if (local) {
      result.relocalized.push(row);
    } else {
      const updatedMs = Math.max(options.nowMs, row.createdMs);
      result.updates.push({ ...recordToOrder(row), status: "failed", updatedMs });
    }
  }
  return result;
}

/** Tolerances for `balanceMismatch`. */
export interface BalanceTolerance {
  /** Base amounts closer than this are equal (the market's amount step, or dust). */
  readonly baseDust: number;
  /** Quote amounts closer than this are equal. */
  readonly quoteDust: number;
}

/**
 * Why the venue's balances disagree with the kernel's books, or null. The base must match
 * (that is our position); the quote may exceed ours (a shared account) but not fall short.
 */
export function balanceMismatch(
  booked: Balances,
  venue: Balances,
  tolerance: BalanceTolerance,
): string | null {
  const baseDiff = venue.baseTotal - booked.baseFree;
  if (Math.abs(baseDiff) > tolerance.baseDust) {
    return `position mismatch: exchange holds ${venue.baseTotal} base, the books ${booked.baseFree}`;
  }
  if (booked.quoteFree - venue.quoteTotal > tolerance.quoteDust) {
    return `balance mismatch: exchange holds ${venue.quoteTotal} quote, the books ${booked.quoteFree}`;
  }
  return null;
}
