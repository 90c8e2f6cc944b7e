/**
 * Packed candle chunks: the rows of one market whose open times fall in one fixed span, stored
 * again as one BLOB of six little-endian `Float64` columns in `candle_chunks`. The `candles` rows
 * stay the source of truth: the candle writer rebuilds every chunk it touches from those rows in
 * the same transaction, so a chunk always equals its rows, and a backtest reads a million candles
 * as a few hundred BLOB copies instead of a million row arrays.
 */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import type { CandleColumns, MarketRef } from "../core/types.ts";
import { isTimeframe, timeframeMs } from "../core/timeframe.ts";
import { StorageError } from "../core/errors.ts";
import { prepareArrays } from "./_statements.ts";

/** Candles per chunk span: 4,096 1m candles are about 2.8 days, 192 KiB of BLOB. */
export const CHUNK_CANDLES = 4_096;
/** Bytes before the columns: magic "CCK1", the row count (u32 LE), 8 bytes reserved. */
const HEADER_BYTES = 16;
const MAGIC = 0x314b4343; // "CCK1" read as a little-endian u32
const COLUMNS = 6;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const KEY = "exchange = ? AND symbol = ? AND timeframe = ?";
const ROW_COLUMNS = "open_time_ms, open, high, low, close, volume";

/** Open times `[start, start + span)` of a market share one chunk; `start` is a multiple of it. */
export function chunkSpanMs(timeframe: string): number {
  // An unknown timeframe still gets a deterministic span; `1M` uses its nominal 30 days.
  return CHUNK_CANDLES * (isTimeframe(timeframe) ? timeframeMs(timeframe) : 60_000);
}

/** The start of the chunk that holds `openTimeMs`. */
export function chunkStartMs(openTimeMs: number, spanMs: number): number {
  return Math.floor(openTimeMs / spanMs) * spanMs;
}

/** Positional rows (`[t, o, h, l, c, v]`) as one chunk BLOB. */
export function packChunk(rows: readonly (readonly number[])[]): Uint8Array {
  const n = rows.length;
  const bytes = new Uint8Array(HEADER_BYTES + COLUMNS * n * 8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, n, true);
  const values = new Float64Array(bytes.buffer, HEADER_BYTES, COLUMNS * n);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    for (let c = 0; c < COLUMNS; c++) values[c * n + i] = row[c];
  }
  return bytes;
}

/** The row count a chunk BLOB declares, or -1 when it is not a chunk this build can read. */
export function chunkCount(blob: Uint8Array): number {
  if (!LITTLE_ENDIAN || blob.byteLength < HEADER_BYTES) return -1;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return -1;
  const n = view.getUint32(4, true);
  return blob.byteLength === HEADER_BYTES + COLUMNS * n * 8 ? n : -1;
}

type Columns = Omit<CandleColumns, "length">;
const COLUMN_KEYS = ["openTimeMs", "open", "high", "low", "close", "volume"] as const;

/** Copies a chunk's `n` rows into `columns` at row `at`; `volume` too unless `skipVolume`. */
export function unpackChunkInto(
  blob: Uint8Array,
  n: number,
  columns: Columns,
  at: number,
  skipVolume = false,
): void {
  const start = blob.byteOffset + HEADER_BYTES;
  // Element copies when the BLOB's floats are aligned (they are: node:sqlite hands each BLOB its
  // own buffer), which copy into shared memory several times faster than bytes.
  const aligned = start % 8 === 0;
  // `volume` is the last column of the BLOB and of COLUMN_KEYS.
  const copied = skipVolume ? COLUMNS - 1 : COLUMNS;
  for (let c = 0; c < copied; c++) {
    const target = columns[COLUMN_KEYS[c]];
    if (aligned) {
      target.set(new Float64Array(blob.buffer, start + c * n * 8, n), at);
    } else {
      new Uint8Array(target.buffer, target.byteOffset + at * 8, n * 8)
        .set(new Uint8Array(blob.buffer, start + c * n * 8, n * 8));
    }
  }
}

/** Statements over `candle_chunks`, prepared once per connection. */
export class CandleChunks {
  #rows: SqlStatement;
  #save: SqlStatement;
  #drop: SqlStatement;
  #has: SqlStatement;
  #newest: SqlStatement;
  #newestBefore: SqlStatement;
  #meta: SqlStatement;
  #page: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#rows = prepareArrays(
      db,
      `SELECT ${ROW_COLUMNS} FROM candles WHERE ${KEY} AND open_time_ms >= ? ` +
        "AND open_time_ms <= ? ORDER BY open_time_ms",
    );
    this.#save = db.prepare(
      "INSERT INTO candle_chunks (exchange, symbol, timeframe, start_ms, span_ms, count, data) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (exchange, symbol, timeframe, start_ms) " +
        "DO UPDATE SET span_ms = excluded.span_ms, count = excluded.count, data = excluded.data",
    );
    this.#drop = db.prepare(`DELETE FROM candle_chunks WHERE ${KEY} AND start_ms = ?`);
    this.#has = prepareArrays(
      db,
      `SELECT count(*) FROM candle_chunks WHERE ${KEY} AND start_ms = ? AND span_ms = ?`,
    );
    this.#newest = prepareArrays(db, `SELECT max(open_time_ms) FROM candles WHERE ${KEY}`);
    this.#newestBefore = prepareArrays(
      db,
      `SELECT max(open_time_ms) FROM candles WHERE ${KEY} AND open_time_ms < ?`,
    );
    this.#meta = prepareArrays(
      db,
      `SELECT start_ms, count FROM candle_chunks WHERE ${KEY} AND span_ms = ? ` +
        "AND start_ms >= ? AND start_ms <= ? ORDER BY start_ms",
    );
    this.#page = prepareArrays(
      db,
      `SELECT start_ms, data FROM candle_chunks WHERE ${KEY} AND span_ms = ? ` +
        "AND start_ms >= ? AND start_ms <= ? ORDER BY start_ms LIMIT ?",
    );
  }

  /**
   * Keeps the chunks equal to the rows after a write; call inside the rows' write transaction.
   * Only complete spans are packed: the span of the newest stored candle stays rows (it is the
   * one a live trader appends to every candle, and at most 4,096 rows to read), and is packed once
   * a later candle arrives. Of the others, those at `changed` are rebuilt from the rows, and
   * those at `seen` (or holding the newest candle before the write) are built if missing.
   * `takes(start)`, when given, may claim a span whose chunk the writer stores itself in the
   * same transaction (it holds every stored row of the span); false: the rows are read back here.
   */
  refresh(
    market: MarketRef,
    changed: Set<number>,
    seen: Set<number>,
    takes?: (startMs: number) => boolean,
  ): void {
    if (changed.size === 0 && seen.size === 0) return;
    const span = chunkSpanMs(market.timeframe);
    const { exchange, symbol, timeframe } = market;
    const [newest] = this.#newest.get(exchange, symbol, timeframe) as unknown as [
      number | null,
    ];
    if (newest === null) return;
    const open = chunkStartMs(newest, span);
    const first = Math.min(...changed, ...seen);
    const [before] = this.#newestBefore.get(exchange, symbol, timeframe, first) as unknown as [
      number | null,
    ];
    const missing = new Set(seen);
    if (before !== null) missing.add(chunkStartMs(before, span));
    for (const start of changed) {
      if (start < open) this.#rebuild(market, start, span, takes);
      missing.delete(start);
    }
    for (const start of missing) {
      if (start >= open) continue;
      const [n] = this.#has.get(exchange, symbol, timeframe, start, span) as unknown as [number];
      if (n === 0) this.#rebuild(market, start, span, takes);
    }
  }

  #rebuild(
    market: MarketRef,
    start: number,
    span: number,
    takes?: (startMs: number) => boolean,
  ): void {
    if (takes?.(start)) return;
    const { exchange, symbol, timeframe } = market;
    const rows = this.#rows.all(
      exchange,
      symbol,
      timeframe,
      start,
      start + span - 1,
    ) as unknown as number[][];
    if (rows.length === 0) {
      this.#drop.run(exchange, symbol, timeframe, start);
      return;
    }
    this.#save.run(exchange, symbol, timeframe, start, span, rows.length, packChunk(rows));
  }

  /**
   * The chunks lying wholly inside `[fromMs, toMs]`, ascending: `[startMs, count]` pairs. Only
   * these are read packed; the edges and any stretch without chunks are read as rows.
   */
  whole(market: MarketRef, fromMs: number, toMs: number): [number, number][] {
    const span = chunkSpanMs(market.timeframe);
    const { exchange, symbol, timeframe } = market;
    return this.#meta.all(
      exchange,
      symbol,
      timeframe,
      span,
      fromMs,
      toMs - span + 1,
    ) as unknown as [
      number,
      number,
    ][];
  }

  /** Up to `limit` chunk BLOBs starting at or after `fromMs` and at most at `lastStartMs`. */
  page(
    market: MarketRef,
    fromMs: number,
    lastStartMs: number,
    limit: number,
  ): [number, Uint8Array][] {
    const span = chunkSpanMs(market.timeframe);
    const { exchange, symbol, timeframe } = market;
    return this.#page.all(
      exchange,
      symbol,
      timeframe,
      span,
      fromMs,
      lastStartMs,
      limit,
    ) as unknown as [
      number,
      Uint8Array,
    ][];
  }
}

/** A chunk whose BLOB does not match its row: a one-line error naming it. */
export function corruptChunk(market: MarketRef, startMs: number): StorageError {
  return new StorageError(
    `Cannot read candles: the packed chunk of ${market.exchange} ${market.symbol} ` +
      `${market.timeframe} starting at ${new Date(startMs).toISOString()} is corrupt; ` +
      "store any candle of it again (deno task backfill or candles import) to rebuild it",
  );
}
