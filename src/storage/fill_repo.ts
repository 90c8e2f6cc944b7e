/** `fills`: executions of orders, idempotent by (client order id, trade id). */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import type { Fill } from "../core/types.ts";
import { camelRow } from "./_statements.ts";

/** A stored fill and the instance it belongs to. */
export interface FillRecord extends Fill {
  readonly instance: string;
}

/** Reads and writes fills. */
export class FillRepo {
  #insert: SqlStatement;
  #byOrder: SqlStatement;
  #byInstance: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#insert = db.prepare(
      "INSERT INTO fills (client_order_id, trade_id, instance, time_ms, side, price, " +
        "base_amount, fee_quote, fee_base_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) " +
        "ON CONFLICT DO NOTHING",
    );
    this.#byOrder = db.prepare(
      "SELECT * FROM fills WHERE client_order_id = ? ORDER BY time_ms, trade_id",
    );
    this.#byInstance = db.prepare(
      "SELECT * FROM fills WHERE instance = ? AND time_ms >= ? ORDER BY time_ms, trade_id",
    );
  }

  /** Stores a fill once; false when it was already stored. The order must exist. */
  insert(instance: string, fill: Fill): boolean {
    const result = this.#insert.run(
      fill.clientOrderId,
      fill.tradeId,
      instance,
      fill.timeMs,
      fill.side,
      fill.price,
      fill.baseAmount,
      fill.feeQuote,
      fill.feeBaseAmount ?? 0,
    );
    return Number(result.changes) === 1;
  }

  /** Fills of one order, oldest first. */
  byOrder(clientOrderId: string): FillRecord[] {
    return this.#byOrder.all(clientOrderId).map((row) => camelRow<FillRecord>(row));
  }

  /** Fills of an instance since `sinceMs`, oldest first. */
  byInstance(instance: string, sinceMs = 0): FillRecord[] {
    return this.#byInstance.all(instance, sinceMs).map((row) => camelRow<FillRecord>(row));
  }
}
