/**
 * Candles: page upserts that count corrections, and fast column reads for backtests (packed
 * chunks where they cover the range, plain rows elsewhere; see `candle_chunk.ts`).
 */
import { dialectOf, type SqlDatabase, type SqlStatement } from "./sql_database.ts";
import type { CandleColumns, CandleRow, MarketRef } from "../core/types.ts";
import { writeTransaction } from "./write_transaction.ts";
import { prepareArrays } from "./_statements.ts";
import { CandleWriter, type UpsertCounts } from "./_candle_writer.ts";
import {
  CandleChunks,
  chunkCount,
  chunkSpanMs,
  corruptChunk,
  unpackChunkInto,
} from "./candle_chunk.ts";
import type { PgDatabase } from "./postgres/pg_database.ts";
import { copyChunkPage } from "./postgres/pg_copy.ts";

export type { CandleColumns, UpsertCounts };

/** First and last stored open time of a market, and how many candles it has. */
export interface CandleBounds {
  readonly firstMs: number;
  readonly lastMs: number;
  readonly count: number;
}

/** One stored market series, as `candles list` shows it. */
export interface StoredSeries extends MarketRef, CandleBounds {}

const KEY = "exchange = ? AND symbol = ? AND timeframe = ?";
/** Rows per page of a row read: big enough for array-read speed, small enough for memory. */
const COLUMN_PAGE = 8_192;
/**
 * Chunk BLOBs per query of a packed read: one. Each BLOB (192 KiB) is copied out of SQLite into
 * memory of its own; one at a time, freed as soon as it is unpacked, the allocator hands the
 * same pages back for the next. Pages of 32 left a few MiB free at once, which the allocator
 * returned to the system and asked for again: every load then paid a page fault per 4 KiB of
 * BLOB on top of those of the columns (24k faults for 1M candles instead of 12k, and 280 ms
 * instead of 165 ms in a fresh process on the bench machine, where a fault costs ~10 µs).
 */
const CHUNK_PAGE = 1;
/** Chunk BLOBs per COPY on PostgreSQL (about 48 MiB, well inside the connection's byte area). */
const PG_CHUNK_PAGE = 256;

/** Options for `CandleRepo.loadColumns`. */
export interface LoadColumnsOptions {
  /**
   * Leave `volume` all zeros, for a reader that never looks at it: the column is never written,
   * so its memory is never touched (no page faults, no resident memory: 8 MB a million rows).
   */
  readonly skipVolume?: boolean;
}

/** One stretch of a column read: a whole packed chunk, or rows read one by one. */
interface Segment {
  readonly packed: boolean;
  readonly fromMs: number;
  readonly toMs: number;
  readonly count: number;
}

/** Reads and writes the `candles` table; statements are prepared once. */
export class CandleRepo {
  #db: SqlDatabase;
  #writer: CandleWriter;
  #chunks: CandleChunks;
  #range: SqlStatement;
  #count: SqlStatement;
  #page: SqlStatement;
  #openTimes: SqlStatement;
  #bounds: SqlStatement;
  #list: SqlStatement;
  /** The PostgreSQL connection, whose chunks are read through COPY; null on SQLite. */
  #pg: PgDatabase | null;

  constructor(db: SqlDatabase) {
    this.#db = db;
    this.#pg = dialectOf(db) === "postgres" ? db as PgDatabase : null;
    this.#writer = new CandleWriter(db);
    this.#chunks = new CandleChunks(db);
    this.#count = prepareArrays(
      db,
      `SELECT count(*) FROM candles WHERE ${KEY} AND open_time_ms >= ? AND open_time_ms <= ?`,
    );
    this.#range = prepareArrays(
      db,
      "SELECT open_time_ms, open, high, low, close, volume FROM candles WHERE " + KEY +
        " AND open_time_ms >= ? AND open_time_ms <= ? ORDER BY open_time_ms",
    );
    this.#page = prepareArrays(
      db,
      "SELECT open_time_ms, open, high, low, close, volume FROM candles WHERE " + KEY +
        " AND open_time_ms >= ? AND open_time_ms <= ? ORDER BY open_time_ms LIMIT ?",
    );
    this.#openTimes = prepareArrays(
      db,
      `SELECT open_time_ms FROM candles WHERE ${KEY} AND open_time_ms >= ? AND open_time_ms <= ? ` +
        "ORDER BY open_time_ms",
    );
    this.#bounds = prepareArrays(
      db,
      `SELECT min(open_time_ms), max(open_time_ms), count(*) FROM candles WHERE ${KEY}`,
    );
    this.#list = prepareArrays(
      db,
      "SELECT exchange, symbol, timeframe, min(open_time_ms), max(open_time_ms), count(*) " +
        "FROM candles GROUP BY exchange, symbol, timeframe ORDER BY exchange, symbol, timeframe",
    );
  }

  /** Upserts rows in one `BEGIN IMMEDIATE` transaction; differing stored rows are corrected. */
  upsert(market: MarketRef, rows: ArrayLike<CandleRow>): UpsertCounts {
    return writeTransaction(this.#db, () => this.#writer.write(market, rows));
  }

  /** Candles with `fromMs <= openTimeMs <= toMs`, ascending, as positional rows. */
  loadRange(market: MarketRef, fromMs: number, toMs: number): CandleRow[] {
    const { exchange, symbol, timeframe } = market;
    return this.#range.all(exchange, symbol, timeframe, fromMs, toMs) as unknown as CandleRow[];
  }

  /**
   * Same as `loadRange`, as parallel `Float64Array`s in shared memory, exactly `length` long.
   * Whole chunks inside the range are copied from their packed BLOBs; the edges and any stretch
   * without chunks (rows stored before chunks existed) are read as rows. One read transaction,
   * so a concurrent writer is seen entirely or not at all.
   */
  loadColumns(
    market: MarketRef,
    fromMs: number,
    toMs: number,
    options: LoadColumnsOptions = {},
  ): CandleColumns {
    return this.#snapshot(() => {
      const span = chunkSpanMs(market.timeframe);
      const segments: Segment[] = [];
      let cursor = fromMs;
      for (const [startMs, count] of this.#chunks.whole(market, fromMs, toMs)) {
        if (cursor < startMs) segments.push(this.#rowSegment(market, cursor, startMs - 1));
        segments.push({ packed: true, fromMs: startMs, toMs: startMs + span - 1, count });
        cursor = startMs + span;
      }
      if (cursor <= toMs) segments.push(this.#rowSegment(market, cursor, toMs));
      let total = 0;
      for (const segment of segments) total += segment.count;
      const columns = emptyColumns(total);
      const skipVolume = options.skipVolume ?? false;
      const lastPacked = segments.findLast((s) => s.packed)?.fromMs ?? 0;
      let page: [number, Uint8Array][] = [];
      let next = 0;
      let n = 0;
      for (const segment of segments) {
        if (segment.count === 0) continue;
        if (!segment.packed) {
          n = this.#readRows(market, segment, columns, n, skipVolume);
          continue;
        }
        if (next === page.length) {
          page = this.#chunkPage(market, segment.fromMs, lastPacked);
          next = 0;
        }
        const [startMs, blob] = page[next++] ?? [NaN, new Uint8Array()];
        if (startMs !== segment.fromMs || chunkCount(blob) !== segment.count) {
          throw corruptChunk(market, segment.fromMs);
        }
        unpackChunkInto(blob, segment.count, columns, n, skipVolume);
        n += segment.count;
        // Frees the BLOB's copy now (detaching its buffer) instead of at some later GC: without
        // this a million candles leave about as much garbage as the columns themselves.
        if (blob.byteOffset === 0 && blob.byteLength === blob.buffer.byteLength) release(blob);
      }
      return { ...columns, length: n };
    });
  }

  /**
   * The next page of chunk BLOBs: on PostgreSQL through one binary COPY into the connection's
   * byte area (views valid until its next call: the page is unpacked before the next read).
   */
  #chunkPage(market: MarketRef, fromMs: number, lastStartMs: number): [number, Uint8Array][] {
    if (this.#pg) return copyChunkPage(this.#pg, market, fromMs, lastStartMs, PG_CHUNK_PAGE);
    return this.#chunks.page(market, fromMs, lastStartMs, CHUNK_PAGE);
  }

  /** The plain-row path of `loadColumns`, without chunks: the reference the packed path equals. */
  loadColumnsFromRows(market: MarketRef, fromMs: number, toMs: number): CandleColumns {
    return this.#snapshot(() => {
      const segment = this.#rowSegment(market, fromMs, toMs);
      const columns = emptyColumns(segment.count);
      const n = this.#readRows(market, segment, columns, 0);
      return { ...columns, length: n };
    });
  }

  #rowSegment(market: MarketRef, fromMs: number, toMs: number): Segment {
    const { exchange, symbol, timeframe } = market;
    const [count] = this.#count.get(exchange, symbol, timeframe, fromMs, toMs) as unknown as [
      number,
    ];
    return { packed: false, fromMs, toMs, count };
  }

  /** Reads a row segment into `columns` from row `at`, in pages; returns the next free row. */
  #readRows(
    market: MarketRef,
    segment: Segment,
    columns: Columns,
    at: number,
    skipVolume = false,
  ): number {
    const { exchange, symbol, timeframe } = market;
    const end = at + segment.count;
    let n = at;
    let from = segment.fromMs;
    for (;;) {
      const rows = this.#page.all(
        exchange,
        symbol,
        timeframe,
        from,
        segment.toMs,
        COLUMN_PAGE,
      ) as unknown[];
      if (n + rows.length > end) throw new Error("candle rows changed during a read transaction");
      for (let i = 0; i < rows.length; i++, n++) {
        const row = rows[i] as CandleRow;
        columns.openTimeMs[n] = row[0];
        columns.open[n] = row[1];
        columns.high[n] = row[2];
        columns.low[n] = row[3];
        columns.close[n] = row[4];
        if (!skipVolume) columns.volume[n] = row[5];
      }
      if (rows.length < COLUMN_PAGE) break;
      from = columns.openTimeMs[n - 1] + 1;
    }
    if (n !== end) throw new Error("candle rows changed during a read transaction");
    return n;
  }

  /** Runs `fn` in one read transaction (or the caller's), so its statements see one snapshot. */
  #snapshot<T>(fn: () => T): T {
    if (this.#db.isTransaction) return fn();
    this.#db.exec("BEGIN");
    try {
      return fn();
    } finally {
      if (this.#db.isTransaction) this.#db.exec("COMMIT");
    }
  }

  /** Stored open times with `fromMs <= t <= toMs`, ascending, for gap detection. */
  openTimes(market: MarketRef, fromMs = -Infinity, toMs = Infinity): Float64Array {
    const { exchange, symbol, timeframe } = market;
    const rows = this.#openTimes.all(exchange, symbol, timeframe, fromMs, toMs) as unknown as [
      number,
    ][];
    const times = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) times[i] = rows[i][0];
    return times;
  }

  /** First and last open time and count, or null when the market has no candles. */
  bounds(market: MarketRef): CandleBounds | null {
    const { exchange, symbol, timeframe } = market;
    const row = this.#bounds.get(exchange, symbol, timeframe) as unknown as [
      number | null,
      number | null,
      number,
    ];
    if (row[0] === null || row[1] === null) return null;
    return { firstMs: row[0], lastMs: row[1], count: row[2] };
  }

  /** Every stored series with its count and first/last open time. */
  listMarkets(): StoredSeries[] {
    const rows = this.#list.all() as unknown as [string, string, string, number, number, number][];
    return rows.map(([exchange, symbol, timeframe, firstMs, lastMs, count]) => ({
      exchange,
      symbol,
      timeframe,
      firstMs,
      lastMs,
      count,
    }));
  }
}

type Columns = Omit<CandleColumns, "length">;

/**
 * Columns in shared memory: a backtest of a user strategy runs in a sandboxed worker, which then
 * reads the candles in place instead of getting a copy. Access costs the same as plain memory.
 */
function emptyColumns(capacity: number): Columns {
  const column = () => new Float64Array(new SharedArrayBuffer(capacity * 8));
  return {
    openTimeMs: column(),
    open: column(),
    high: column(),
    low: column(),
    close: column(),
    volume: column(),
  };
}

/** Detaches `bytes`' buffer, so its memory goes back at once; `bytes` is empty afterwards. */
function release(bytes: Uint8Array): void {
  const buffer = bytes.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
  if (!(buffer instanceof ArrayBuffer) || typeof buffer.transfer !== "function") return;
  buffer.transfer(0);
}
