/** `equity`: equity snapshots per instance over time. */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { prepareArrays } from "./_statements.ts";

/** Reads and writes equity snapshots. */
export class EquityRepo {
  #upsert: StatementSync;
  #range: StatementSync;

  constructor(db: DatabaseSync) {
    this.#upsert = db.prepare(
      "INSERT OR REPLACE INTO equity (instance, time_ms, equity_quote) VALUES (?, ?, ?)",
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
