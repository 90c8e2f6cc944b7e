/** Batched candle upserts: multi-row INSERTs, with exact inserted/updated/unchanged counts. */
import { dialectOf, type SqlDatabase, type SqlStatement } from "./sql_database.ts";
import type { CandleRow, MarketRef } from "../core/types.ts";
import { CandleChunks, chunkSpanMs, chunkStartMs } from "./candle_chunk.ts";
import type { PgDatabase } from "./postgres/pg_database.ts";
import { copyCandles } from "./postgres/pg_copy.ts";

/** What an upsert did: new rows, rows whose values changed, rows already identical. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

const BATCH = 64;
const SKIP_EXISTING = "ON CONFLICT (exchange, symbol, timeframe, open_time_ms) DO NOTHING";
const COLUMNS = "(exchange, symbol, timeframe, open_time_ms, open, high, low, close, volume)";
/** Rows from which a PostgreSQL write goes through COPY (fewer: the statements cost less). */
const COPY_MIN_ROWS = 256;

/**
 * Writes candle rows and rebuilds the packed chunks they fall in; callers wrap it in a
 * transaction, so rows and chunks commit together. Statements are prepared once.
 */
export class CandleWriter {
  #chunks: CandleChunks;
  #insertBatch: SqlStatement;
  #insertOne: SqlStatement;
  #update: SqlStatement;
  #args: (string | number)[] = new Array(BATCH * 9);
  /** The PostgreSQL connection, for bulk writes through COPY; null on SQLite. */
  #copy: PgDatabase | null;

  constructor(db: SqlDatabase) {
    this.#chunks = new CandleChunks(db);
    this.#copy = dialectOf(db) === "postgres" ? db as PgDatabase : null;
    const values = Array.from({ length: BATCH }, () => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
    // ON CONFLICT DO NOTHING skips only existing keys; OR IGNORE would also drop NOT NULL violations.
    this.#insertBatch = db.prepare(
      `INSERT INTO candles ${COLUMNS} VALUES ${values} ${SKIP_EXISTING}`,
    );
    this.#insertOne = db.prepare(
      `INSERT INTO candles ${COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ${SKIP_EXISTING}`,
    );
    this.#update = db.prepare(
      "UPDATE candles SET open = ?, high = ?, low = ?, close = ?, volume = ? WHERE exchange = ? " +
        "AND symbol = ? AND timeframe = ? AND open_time_ms = ? " +
        "AND (open, high, low, close, volume) IS NOT (?, ?, ?, ?, ?)",
    );
  }

  /** Upserts `rows`; a stored row that differs is corrected and counted as updated. */
  write(market: MarketRef, rows: ArrayLike<CandleRow>): UpsertCounts {
    if (this.#copy && rows.length >= COPY_MIN_ROWS) {
      const copied = copyCandles(this.#copy, this.#chunks, market, rows);
      if (copied) return copied;
    }
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const span = chunkSpanMs(market.timeframe);
    // Chunks holding a changed row are rebuilt; the others only when they do not exist yet.
    const changed = new Set<number>();
    const seen = new Set<number>();
    const note = (start: number, end: number, didChange: boolean) => {
      for (let i = start; i < end; i++) {
        const chunk = chunkStartMs(rows[i][0], span);
        (didChange ? changed : seen).add(chunk);
      }
    };
    const full = rows.length - (rows.length % BATCH);
    for (let start = 0; start < full; start += BATCH) {
      const inserted = this.#writeBatch(market, rows, start);
      counts.inserted += inserted;
      // Some rows existed: find which differ. Rows just inserted match themselves.
      const updated = inserted < BATCH
        ? this.#correct(market, rows, start, start + BATCH, counts, inserted)
        : 0;
      note(start, start + BATCH, inserted + updated > 0);
    }
    for (let i = full; i < rows.length; i++) {
      const inserted = this.#writeOne(market, rows[i]);
      counts.inserted += inserted;
      const updated = inserted === 0 ? this.#correct(market, rows, i, i + 1, counts, 0) : 0;
      note(i, i + 1, inserted + updated > 0);
    }
    this.#chunks.refresh(market, changed, seen);
    return counts;
  }

  #writeBatch(market: MarketRef, rows: ArrayLike<CandleRow>, start: number): number {
    const args = this.#args;
    const { exchange, symbol, timeframe } = market;
    for (let i = 0, k = 0; i < BATCH; i++) {
      const row = rows[start + i];
      args[k++] = exchange;
      args[k++] = symbol;
      args[k++] = timeframe;
      args[k++] = row[0];
      args[k++] = row[1];
      args[k++] = row[2];
      args[k++] = row[3];
      args[k++] = row[4];
      args[k++] = row[5];
    }
    return Number(this.#insertBatch.run(...args).changes);
  }

  #writeOne(market: MarketRef, row: CandleRow): number {
    const [t, o, h, l, c, v] = row;
    const { exchange, symbol, timeframe } = market;
    return Number(this.#insertOne.run(exchange, symbol, timeframe, t, o, h, l, c, v).changes);
  }

  #correct(
    market: MarketRef,
    rows: ArrayLike<CandleRow>,
    start: number,
    end: number,
    counts: UpsertCounts,
    inserted: number,
  ): number {
    const { exchange, symbol, timeframe } = market;
    let updated = 0;
    for (let i = start; i < end; i++) {
      const [t, o, h, l, c, v] = rows[i];
      updated += Number(
        this.#update.run(o, h, l, c, v, exchange, symbol, timeframe, t, o, h, l, c, v).changes,
      );
    }
    counts.updated += updated;
    counts.unchanged += end - start - inserted - updated;
    return updated;
  }
}
