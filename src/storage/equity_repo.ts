/** `equity`: equity snapshots per instance over time. */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import { prepareArrays } from "./_statements.ts";

/** Reads and writes equity snapshots. */
export class EquityRepo {
  #upsert: SqlStatement;
  #range: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#upsert = db.prepare(
      "INSERT INTO equity (instance, time_ms, equity_quote) VALUES (?, ?, ?) " +
        "ON CONFLICT (instance, time_ms) DO UPDATE SET equity_quote = excluded.equity_quote",
    );
    this.#range = prepareArrays(
      db,
      "SELECT time_ms, equity_quote FROM equity WHERE instance = ? AND time_ms >= ? " +
        "AND time_ms <= ? ORDER BY time_ms",
    );
  }

  /** Records equity at `timeMs` (one row per instance and time; a later write replaces it). */
  record(instance: string, timeMs: number, equityQuote: number): void {
    this.#upsert.run(instance, timeMs, equityQuote);
  }

  /** `[timeMs, equityQuote]` pairs with `fromMs <= timeMs <= toMs`, oldest first. */
  range(instance: string, fromMs = -Infinity, toMs = Infinity): [number, number][] {
    return this.#range.all(instance, fromMs, toMs) as unknown as [number, number][];
  }
}
