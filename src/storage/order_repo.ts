/** `orders`: written as `submitting` before the venue sees them, so restarts can reconcile. */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import type { Order, OrderStatus } from "../core/types.ts";
import { TERMINAL_ORDER_STATUSES } from "../core/types.ts";
import { camelRow, PatchStatements, snakeParams } from "./_statements.ts";

/** A stored order: the venue's view plus who sent it and why. */
export interface OrderRecord extends Order {
  readonly instance: string;
  readonly exchange: string;
  /** enter | exit | stop_loss | take_profit | trailing_stop | … */
  readonly intent: string;
  readonly reason: string | null;
  readonly candleTimeMs: number;
  readonly createdMs: number;
  readonly error: string | null;
}

/** Fields that change as an order progresses. */
export type OrderPatch =
  & Partial<
    Pick<
      OrderRecord,
      | "status"
      | "exchangeOrderId"
      | "filledBaseAmount"
      | "averagePrice"
      | "feeQuote"
      | "feeBaseAmount"
      | "error"
      | "baseAmount"
      | "price"
    >
  >
  & { readonly updatedMs: number };

const COLUMNS = [
  "client_order_id",
  "instance",
  "exchange",
  "symbol",
  "side",
  "type",
  "base_amount",
  "price",
  "status",
  "exchange_order_id",
  "filled_base_amount",
  "average_price",
  "fee_quote",
  "fee_base_amount",
  "intent",
  "reason",
  "candle_time_ms",
  "created_ms",
  "updated_ms",
  "error",
];

const NON_TERMINAL = ["submitting", "open", "partially_filled"].filter(
  (status) => !TERMINAL_ORDER_STATUSES.has(status as OrderStatus),
);

/** Reads and writes orders. */
export class OrderRepo {
  #insert: SqlStatement;
  #get: SqlStatement;
  #nonTerminal: SqlStatement;
  #unconfirmedFailed: SqlStatement;
  #byInstance: SqlStatement;
  #patch: PatchStatements;

  constructor(db: SqlDatabase) {
    this.#insert = db.prepare(
      `INSERT INTO orders (${COLUMNS.join(", ")}) ` +
        `VALUES (${COLUMNS.map((column) => ":" + column).join(", ")})`,
    );
    this.#get = db.prepare("SELECT * FROM orders WHERE client_order_id = ?");
    this.#nonTerminal = db.prepare(
      `SELECT * FROM orders WHERE instance = ? AND status IN ` +
        `(${NON_TERMINAL.map((status) => `'${status}'`).join(", ")}) ORDER BY created_ms`,
    );
    this.#unconfirmedFailed = db.prepare(
      "SELECT * FROM orders WHERE instance = ? AND status = 'failed' " +
        "AND exchange_order_id IS NULL AND created_ms >= ? ORDER BY created_ms",
    );
    this.#byInstance = db.prepare(
      "SELECT * FROM orders WHERE instance = ? ORDER BY created_ms DESC, client_order_id LIMIT ?",
    );
    this.#patch = new PatchStatements(db, "orders", "client_order_id");
  }

  /** Inserts a new order (normally with status `submitting`); a reused client id throws. */
  insert(order: OrderRecord): void {
    this.#insert.run(snakeParams({ ...order, feeBaseAmount: order.feeBaseAmount ?? 0 }));
  }

  /** Applies a status/fill update; false when no such order exists. */
  update(clientOrderId: string, patch: OrderPatch): boolean {
    return this.#patch.run(clientOrderId, patch) === 1;
  }

  /** The order with this client id, or null. */
  findByClientId(clientOrderId: string): OrderRecord | null {
    const row = this.#get.get(clientOrderId);
    return row ? camelRow<OrderRecord>(row) : null;
  }

  /** Orders of an instance that may still change (submitting, open, partially filled). */
  nonTerminal(instance: string): OrderRecord[] {
    return this.#nonTerminal.all(instance).map((row) => camelRow<OrderRecord>(row));
  }

  /**
   * Rows of an instance written since `sinceMs` that failed without the venue ever confirming
   * them (no exchange order id): the orders that may still turn up at the exchange late.
   */
  unconfirmedFailed(instance: string, sinceMs: number): OrderRecord[] {
    return this.#unconfirmedFailed.all(instance, sinceMs).map((row) => camelRow<OrderRecord>(row));
  }

  /** The newest orders of an instance. */
  recent(instance: string, limit = 50): OrderRecord[] {
    return this.#byInstance.all(instance, limit).map((row) => camelRow<OrderRecord>(row));
  }
}
