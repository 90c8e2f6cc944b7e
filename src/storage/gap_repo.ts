/** `candle_gaps`: ranges the exchange itself lacks, so they are not requested forever. */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import type { MarketRef } from "../core/types.ts";
import { camelRow } from "./_statements.ts";
import { writeTransaction } from "./write_transaction.ts";

/** A recorded gap: inclusive open-time range, its size, and when it was confirmed missing. */
export interface CandleGapRecord {
  readonly fromMs: number;
  readonly toMs: number;
  readonly missing: number;
  /** When a re-request confirmed the exchange lacks these; null: not re-requested yet. */
  readonly confirmedMs: number | null;
}

const KEY = "exchange = ? AND symbol = ? AND timeframe = ?";

/** Reads and writes recorded candle gaps per market. */
export class GapRepo {
  #db: SqlDatabase;
  #upsert: SqlStatement;
  #list: SqlStatement;
  #remove: SqlStatement;
  #clear: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#db = db;
    this.#upsert = db.prepare(
      "INSERT INTO candle_gaps (exchange, symbol, timeframe, from_ms, to_ms, missing, " +
        "confirmed_ms) VALUES (?, ?, ?, ?, ?, ?, ?) " +
        "ON CONFLICT (exchange, symbol, timeframe, from_ms) DO UPDATE SET " +
        "to_ms = excluded.to_ms, missing = excluded.missing, confirmed_ms = excluded.confirmed_ms",
    );
    this.#list = db.prepare(
      `SELECT from_ms, to_ms, missing, confirmed_ms FROM candle_gaps WHERE ${KEY} ORDER BY from_ms`,
    );
    this.#remove = db.prepare(`DELETE FROM candle_gaps WHERE ${KEY} AND from_ms = ?`);
    this.#clear = db.prepare(`DELETE FROM candle_gaps WHERE ${KEY}`);
  }

  /** Records (or updates, keyed by `fromMs`) gaps of a market in one transaction. */
  record(market: MarketRef, gaps: readonly CandleGapRecord[]): void {
    const { exchange, symbol, timeframe } = market;
    writeTransaction(this.#db, () => {
      for (const gap of gaps) {
        this.#upsert.run(
          exchange,
          symbol,
          timeframe,
          gap.fromMs,
          gap.toMs,
          gap.missing,
          gap.confirmedMs,
        );
      }
    });
  }

  /** Replaces every recorded gap of a market with `gaps`, atomically. */
  replace(market: MarketRef, gaps: readonly CandleGapRecord[]): void {
    const { exchange, symbol, timeframe } = market;
    writeTransaction(this.#db, () => {
      this.#clear.run(exchange, symbol, timeframe);
      this.record(market, gaps);
    });
  }

  /** Recorded gaps of a market, oldest first. */
  list(market: MarketRef): CandleGapRecord[] {
    const { exchange, symbol, timeframe } = market;
    return this.#list.all(exchange, symbol, timeframe).map((row) => camelRow(row));
  }

  /** Forgets the gap starting at `fromMs` (e.g. once it has been filled). */
  remove(market: MarketRef, fromMs: number): void {
    const { exchange, symbol, timeframe } = market;
    writeTransaction(this.#db, () => this.#remove.run(exchange, symbol, timeframe, fromMs));
  }
}
