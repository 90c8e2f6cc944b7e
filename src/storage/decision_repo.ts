/** `decisions`: every risk review, accepted or not, with its reason. */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import { camelRow } from "./_statements.ts";

/** One risk review. */
export interface DecisionRecord {
  readonly instance: string;
  readonly candleTimeMs: number;
  /** The intent's kind: enter | exit | adjust_stops. */
  readonly intent: string;
  /** accept | resize | reject. */
  readonly verdict: string;
  readonly baseAmount: number | null;
  readonly reason: string;
}

/** Reads and writes risk decisions. */
export class DecisionRepo {
  #insert: SqlStatement;
  #recent: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#insert = db.prepare(
      "INSERT INTO decisions (instance, candle_time_ms, intent, verdict, base_amount, reason) " +
        "VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.#recent = db.prepare(
      "SELECT instance, candle_time_ms, intent, verdict, base_amount, reason FROM decisions " +
        "WHERE instance = ? ORDER BY candle_time_ms DESC, id DESC LIMIT ?",
    );
  }

  /** Stores a decision. */
  insert(decision: DecisionRecord): void {
    const { instance, candleTimeMs, intent, verdict, baseAmount, reason } = decision;
    this.#insert.run(instance, candleTimeMs, intent, verdict, baseAmount, reason);
  }

  /** The newest decisions of an instance, newest first. */
  recent(instance: string, limit = 50): DecisionRecord[] {
    return this.#recent.all(instance, limit).map((row) => camelRow<DecisionRecord>(row));
  }
}
