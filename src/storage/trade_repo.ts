/** `trades`: closed round trips per instance. */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import type { ClosedTrade } from "../core/types.ts";
import { camelRow } from "./_statements.ts";

/** A stored closed trade. */
export interface TradeRecord extends ClosedTrade {
  readonly id: number;
  readonly instance: string;
  readonly symbol: string;
  readonly exitClientOrderId: string | null;
}

/** Reads and writes closed trades. */
export class TradeRepo {
  #insert: SqlStatement;
  #list: SqlStatement;
  #between: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#insert = db.prepare(
      "INSERT INTO trades (instance, symbol, entry_time_ms, exit_time_ms, entry_price, " +
        "exit_price, amount, pnl, pnl_pct, fees, exit_reason, exit_client_order_id) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    );
    this.#list = db.prepare(
      "SELECT * FROM trades WHERE instance = ? ORDER BY exit_time_ms DESC, id DESC LIMIT ?",
    );
    this.#between = db.prepare(
      "SELECT COUNT(*) AS n, COALESCE(SUM(pnl), 0) AS pnl FROM trades " +
        "WHERE instance = ? AND exit_time_ms >= ? AND exit_time_ms < ?",
    );
  }

  /** How many trades of `instance` closed in [fromMs, toMs), and their summed pnl. */
  closedBetween(instance: string, fromMs: number, toMs: number): { count: number; pnl: number } {
    const row = this.#between.get(instance, fromMs, toMs);
    return { count: Number(row?.n ?? 0), pnl: Number(row?.pnl ?? 0) };
  }

  /**
   * Stores a closed trade; returns its id, or null when a trade with the same
   * `exitClientOrderId` was already stored (so a replayed exit is not counted twice).
   */
  insert(
    instance: string,
    trade: ClosedTrade & { readonly symbol: string; readonly exitClientOrderId?: string | null },
  ): number | null {
    const result = this.#insert.run(
      instance,
      trade.symbol,
      trade.entryTimeMs,
      trade.exitTimeMs,
      trade.entryPrice,
      trade.exitPrice,
      trade.amount,
      trade.pnl,
      trade.pnlPct,
      trade.fees,
      trade.exitReason,
      trade.exitClientOrderId ?? null,
    );
    return Number(result.changes) === 1 ? Number(result.lastInsertRowid) : null;
  }

  /** The newest trades of an instance, newest first. */
  recent(instance: string, limit = 100): TradeRecord[] {
    return this.#list.all(instance, limit).map((row) => camelRow<TradeRecord>(row));
  }
}
