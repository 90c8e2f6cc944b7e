/**
 * The order manager: the only path from the kernel's commands to a venue. It is itself a `Venue`
 * in front of the real one, so `driveCandle` runs paper, live and replay through it unchanged.
 *
 * Rules (money is at risk here):
 * - every order has the kernel's deterministic client id (instance, candle time, purpose, seq);
 * - its row is written as `submitting` BEFORE the send, in its own BEGIN IMMEDIATE transaction
 *   together with the kernel snapshot that already tracks it;
 * - a client id that has a row is never sent again: the venue is asked about it instead;
 * - every update the kernel applied is stored (`record`) in one transaction: order row, the fill
 *   it adds, the closed trade and the kernel snapshot, so a kill at any point leaves them in step;
 * - a send that times out stays `submitting`; reconciliation looks it up by client id;
 * - when the database is unreachable (`DatabaseUnavailableError`) an order whose row cannot be
 *   written is not sent: the kernel gets it back `rejected`, as if the venue had refused it; an
 *   update that cannot be stored is kept in memory and stored by `storeUnrecorded` once the
 *   database is back, before reconciliation (the refused order's rejection too: a row whose
 *   COMMIT reached the server although the call failed ends `rejected`, never sent).
 *
 * Test hook: `failpoint(name)` is called at the `order.*`, `protect.after_*` and
 * `cancel.after_send` points of `failpoints.ts`. The trade task wires it to `TRADER_FAILPOINT`,
 * which SIGKILLs the process there (kill tests only).
 */
import type { EngineOrder, OrderOutcome } from "../core/engine_types.ts";
import {
  DatabaseUnavailableError,
  OrderRejectedError,
  TransientExchangeError,
} from "../core/errors.ts";
import type { Clock, Venue } from "../core/ports.ts";
import {
  type Balances,
  type Candle,
  type Fill,
  type Order,
  TERMINAL_ORDER_STATUSES,
} from "../core/types.ts";
import type { Store } from "../storage/store.ts";
import { type Failpoint, orderFailpoint } from "./failpoints.ts";
import { LOCAL_ORDER_ID, newFills, newOrderRecord, recordToOrder } from "./order_records.ts";
import type { OrderRecord } from "../storage/order_repo.ts";

/** Minimal logger the manager writes to. */
export interface ManagerLogger {
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

/** Options of an order manager. */
export interface OrderManagerOptions {
  readonly instance: string;
  readonly exchange: string;
  /** Time for row timestamps (wall clock in paper and live, candle time in replay). */
  readonly clock: Clock;
  /** Persists the kernel snapshot; called inside every order write transaction. */
  readonly persistState: () => void;
  /** Why an entry may not be sent now (paused, halted, stale candle), or null. */
  readonly entryBlock?: (order: EngineOrder) => string | null;
  /** Whether the venue accepts this client id (Binance: ≤ 36 of `[.A-Z:/a-z0-9_-]`). */
  readonly validClientId?: (clientOrderId: string) => boolean;
  readonly failpoint?: Failpoint;
  readonly logger?: ManagerLogger;
}

/** Sends, cancels and records orders for one instance. */
export class OrderManager implements Venue {
  readonly #store: Store;
  readonly #venue: Venue;
  readonly #options: OrderManagerOptions;
  /** Order attempts that failed in a row (rejected or unconfirmed); reset by a success. */
  consecutiveFailures = 0;
  #lastError: string | null = null;
  /** Set when a send was not confirmed; the trader reconciles and clears it. */
  needsReconcile = false;
  /** Updates the kernel applied that could not be stored yet, oldest first. */
  readonly #unrecorded: { order: Order; outcome: OrderOutcome }[] = [];

  constructor(store: Store, venue: Venue, options: OrderManagerOptions) {
    this.#store = store;
    this.#venue = venue;
    this.#options = options;
  }

  /** The last order error, for the dashboard. */
  get lastError(): string | null {
    return this.#lastError;
  }

  /** Keeps `message` as the last order error until the next one (e.g. why entries halted). */
  noteError(message: string): void {
    this.#lastError = message;
  }

  /** Sends an order once: row first, then the venue; a known client id is looked up instead. */
  async submit(order: EngineOrder): Promise<Order> {
    try {
      return await this.#submit(order);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError) || this.#written.has(order.clientOrderId)) {
        throw error;
      }
      return this.#notWritten(order, error);
    }
  }

  /** Client ids known to have a row (written, then sent; or found): never reported unwritten. */
  readonly #written = new Set<string>();

  /**
   * The row of `order` could not be written: nothing is sent, and the kernel gets the order back
   * rejected. Its COMMIT may still have reached the server just before the drop: recording the
   * rejection (kept until the database is back) then marks that row rejected; without a row it
   * is not ours and nothing is written.
   */
  #notWritten(order: EngineOrder, error: DatabaseUnavailableError): Order {
    const cid = order.clientOrderId;
    const reason = `not sent: its row could not be written (${error.message})`;
    this.needsReconcile = true;
    this.#lastError = `Order ${cid} ${reason}`;
    this.#options.logger?.warn("Order {cid} {reason}", { cid, reason });
    const nowMs = this.#options.clock.nowMs();
    const ids = { instance: this.#options.instance, exchange: this.#options.exchange, nowMs };
    return recordToOrder(newOrderRecord(order, ids, "rejected", reason));
  }

  async #submit(order: EngineOrder): Promise<Order> {
    const known = this.#store.orders.findByClientId(order.clientOrderId);
    if (known !== null) {
      this.#written.add(order.clientOrderId);
      return await this.#lookUp(order.clientOrderId);
    }
    const refusal = this.#refusal(order);
    const nowMs = this.#options.clock.nowMs();
    const ids = { instance: this.#options.instance, exchange: this.#options.exchange, nowMs };
    if (refusal !== null) {
      const row = newOrderRecord(order, ids, "rejected", refusal);
      this.#store.transaction(() => this.#store.orders.insert(row));
      this.#options.logger?.warn("Order {cid} not sent: {reason}", {
        cid: order.clientOrderId,
        reason: refusal,
      });
      return recordToOrder(row);
    }
    this.#options.failpoint?.("order.before_insert");
    const row = newOrderRecord(order, ids, "submitting");
    this.#store.transaction(() => {
      this.#store.orders.insert(row);
      this.#options.persistState();
    });
    this.#options.failpoint?.(orderFailpoint(order.purpose, "after_insert"));
    return await this.#send(order, row);
  }

  async #send(order: EngineOrder, row: OrderRecord): Promise<Order> {
    const cid = order.clientOrderId;
    this.#written.add(cid);
    let result: Order;
    try {
      result = await this.#venue.submit(order);
    } catch (error) {
      try {
        return this.#failedSend(order, error);
      } catch (storing) {
        if (!(storing instanceof DatabaseUnavailableError)) throw storing;
        // The row stays `submitting`: reconciliation looks the order up by client id.
        this.needsReconcile = true;
        return recordToOrder(row);
      }
    }
    this.#options.failpoint?.(orderFailpoint(order.purpose, "after_send"));
    if (result.status === "rejected") this.#failed(`order ${cid} rejected by the venue`);
    else this.consecutiveFailures = 0;
    return result;
  }

  #failedSend(order: EngineOrder, error: unknown): Order {
    const cid = order.clientOrderId;
    const nowMs = this.#options.clock.nowMs();
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof OrderRejectedError) {
      this.#failed(message);
      this.#store.orders.update(cid, { status: "rejected", error: message, updatedMs: nowMs });
      return recordToOrder(this.#store.orders.findByClientId(cid)!);
    }
    if (!(error instanceof TransientExchangeError)) throw error;
    // Unconfirmed: it may or may not exist at the venue. Never resend; reconcile by client id.
    this.#failed(message);
    this.needsReconcile = true;
    this.#store.orders.update(cid, { error: message, updatedMs: nowMs });
    return recordToOrder(this.#store.orders.findByClientId(cid)!);
  }

  #failed(message: string): void {
    this.consecutiveFailures++;
    this.#lastError = message;
    this.#options.logger?.warn("Order attempt failed ({count} in a row): {error}", {
      count: this.consecutiveFailures,
      error: message,
    });
  }

  #refusal(order: EngineOrder): string | null {
    const valid = this.#options.validClientId?.(order.clientOrderId) ?? true;
    if (!valid) return `client order id ${order.clientOrderId} is not valid on the exchange`;
    if (order.purpose !== "enter") return null;
    return this.#options.entryBlock?.(order) ?? null;
  }

  /** A client id we already wrote: its venue state, else the stored one (never a resend). */
  async #lookUp(clientOrderId: string): Promise<Order> {
    const row = this.#store.orders.findByClientId(clientOrderId)!;
    if (TERMINAL_ORDER_STATUSES.has(row.status) || row.exchangeOrderId === LOCAL_ORDER_ID) {
      return recordToOrder(row);
    }
    try {
      return await this.#venue.fetchOrder(clientOrderId, row.symbol) ?? recordToOrder(row);
    } catch (error) {
      if (!(error instanceof TransientExchangeError)) throw error;
      this.needsReconcile = true;
      return recordToOrder(row);
    }
  }

  /** Cancels by client id; a transient failure leaves it to the next poll (returns null). */
  async cancel(clientOrderId: string, symbol: string): Promise<Order | null> {
    const row = this.#storedOrNull(clientOrderId);
    if (row !== null && TERMINAL_ORDER_STATUSES.has(row.status)) return recordToOrder(row);
    try {
      const after = await this.#venue.cancel(clientOrderId, symbol);
      this.#options.failpoint?.("cancel.after_send");
      return after;
    } catch (error) {
      if (!(error instanceof TransientExchangeError)) throw error;
      this.#lastError = error.message;
      this.needsReconcile = true;
      return null;
    }
  }

  /** The venue's state of this order (no row is read or written). */
  fetchOrder(clientOrderId: string, symbol: string): Promise<Order | null> {
    return this.#venue.fetchOrder(clientOrderId, symbol);
  }

  /** The venue's open orders. */
  openOrders(symbol: string): Promise<Order[]> {
    return this.#venue.openOrders(symbol);
  }

  /** The venue's balances. */
  balances(symbol: string): Promise<Balances> {
    return this.#venue.balances(symbol);
  }

  /** The venue's fills. */
  myFills(symbol: string, sinceMs: number): Promise<Fill[]> {
    return this.#venue.myFills(symbol, sinceMs);
  }

  /** Protective orders a ticker price crossed, sold at market by the venue. */
  priceTick(price: number, timeMs: number): Promise<readonly Order[]> {
    return this.#venue.priceTick(price, timeMs);
  }

  /** Fills of market orders due at the candle's open (paper), or order polls (live). */
  openBar(candle: Candle): Promise<readonly Order[]> {
    return this.#venue.openBar(candle);
  }

  /** Stops and take-profits triggered inside the candle. */
  rangeBar(candle: Candle): Promise<readonly Order[]> {
    return this.#venue.rangeBar(candle);
  }

  /** Pending market orders filled at the candle's close (end of a replay). */
  settle(candle: Candle): Promise<readonly Order[]> {
    return this.#venue.settle(candle);
  }

  /** The stored row, or null when there is none or the database cannot be read now. */
  #storedOrNull(clientOrderId: string): OrderRecord | null {
    try {
      return this.#store.orders.findByClientId(clientOrderId);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) throw error;
      return null;
    }
  }

  /** Updates applied by the kernel but not stored yet (the database was unreachable). */
  get unrecordedCount(): number {
    return this.#unrecorded.length;
  }

  /**
   * Stores the updates kept while the database was unreachable, oldest first; throws (keeping
   * the rest) if it is unreachable again. Call before reconciling.
   */
  storeUnrecorded(): void {
    while (this.#unrecorded.length > 0) {
      const { order, outcome } = this.#unrecorded[0];
      const row = this.#store.orders.findByClientId(order.clientOrderId);
      // A COMMIT that reached the server just before the drop: stored already.
      const stored = row !== null && row.status === order.status &&
        row.filledBaseAmount === order.filledBaseAmount;
      if (!stored) this.#record(order, outcome);
      this.#unrecorded.shift();
    }
  }

  /**
   * Stores an update the kernel applied: row, new fill, closed trade and snapshot, atomically.
   * With the database unreachable the update is kept for `storeUnrecorded`.
   */
  record(order: Order, outcome: OrderOutcome): void {
    if (this.#unrecorded.length > 0) {
      this.#unrecorded.push({ order, outcome });
      return;
    }
    try {
      this.#record(order, outcome);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) throw error;
      this.#unrecorded.push({ order, outcome });
      this.needsReconcile = true;
      this.#options.logger?.warn(
        "Update of order {cid} ({status}) kept until the database is back",
        {
          cid: order.clientOrderId,
          status: order.status,
        },
      );
    }
  }

  #record(order: Order, outcome: OrderOutcome): void {
    const store = this.#store;
    const row = store.orders.findByClientId(order.clientOrderId);
    if (row === null) return; // not one of ours
    if (row.status === "submitting" && order.status !== "submitting") {
      this.#options.failpoint?.("order.after_response");
    }
    store.transaction(() => {
      for (const fill of newFills(row, order, store.fills.byOrder(row.clientOrderId))) {
        store.fills.insert(this.#options.instance, fill);
      }
      store.orders.update(row.clientOrderId, {
        status: order.status,
        exchangeOrderId: order.exchangeOrderId ?? row.exchangeOrderId,
        filledBaseAmount: order.filledBaseAmount,
        averagePrice: order.averagePrice,
        feeQuote: order.feeQuote,
        feeBaseAmount: order.feeBaseAmount ?? row.feeBaseAmount ?? 0,
        updatedMs: Math.max(order.updatedMs, row.createdMs),
      });
      if (outcome.trade !== null) {
        store.trades.insert(this.#options.instance, {
          ...outcome.trade,
          symbol: row.symbol,
          exitClientOrderId: row.clientOrderId,
        });
      }
      this.#options.persistState();
    });
    this.#options.failpoint?.("order.after_record");
  }
}
