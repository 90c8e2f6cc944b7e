/**
 * Bulk candle paths on PostgreSQL. Writes: the rows cross to the worker as float64 in the
 * connection's `ByteArea`, which encodes them in PostgreSQL's binary COPY format while it streams
 * them by `COPY … FROM STDIN`, in the caller's transaction. Into a range of open times that holds no stored row yet (an import, a backfill of
 * new candles) they go straight into `candles`; otherwise into a staging table, from which one
 * statement corrects the stored rows that differ and inserts the new ones. The chunks of the
 * spans whose every stored row the write holds are packed here from those rows and go in by COPY
 * too, instead of being read back. Reads: chunk BLOBs come back by `COPY … TO STDOUT` (binary)
 * into the area and are unpacked in place.
 *
 * The client reports no error of a COPY whose stream it has ended (it waits for an end the
 * server never acknowledges), so a COPY here must not fail on a value: straight into `candles`
 * only rows that meet its constraints (new keys, no NaN) and into `candle_chunks` only after its
 * rows at those starts are deleted; anything else goes through the staging table, whose columns
 * have no constraints, and the statement after it applies them (NOT NULL for a NaN).
 */
import type { CandleRow, MarketRef } from "../../core/types.ts";
import type { UpsertCounts } from "../candle_repo.ts";
import { type CandleChunks, chunkSpanMs, packChunk } from "../candle_chunk.ts";
import type { PgDatabase } from "./pg_database.ts";
import type { WireValue } from "./_pg_wire.ts";

const FIELDS = 6;
/** PostgreSQL's binary COPY signature; the flags and header extension length (0) follow. */
const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
const HEADER_BYTES = SIGNATURE.length + 8;
/** Bytes of one chunk row besides its market and BLOB: lengths, start, span and count. */
const CHUNK_FIXED_BYTES = 2 + 3 * 4 + 3 * (4 + 8) + 4;
/** Candles per COPY (48 MB of float64 in the byte area). */
const CANDLES_PER_COPY = 1_000_000;
/**
 * New rows after which the table's statistics are taken again at once: until autovacuum does,
 * the planner takes a market just filled for an empty one and reads all of its rows for each
 * `max(open_time_ms)` (about a second per million rows).
 */
const ANALYZE_AFTER_ROWS = 50_000;
/** Bytes of chunk BLOBs per COPY. */
const CHUNK_BYTES_PER_COPY = 64 << 20;
/** Chunk BLOBs per COPY on a read (about 48 MiB of 1m candles). */
export const CHUNKS_PER_READ = 256;

/** The staging table, one per connection and without constraints. */
const STAGE_CANDLES = "CREATE TEMP TABLE IF NOT EXISTS candle_copy (open_time_ms BIGINT, " +
  "open DOUBLE PRECISION, high DOUBLE PRECISION, low DOUBLE PRECISION, " +
  "close DOUBLE PRECISION, volume DOUBLE PRECISION); TRUNCATE candle_copy";
const COPY_CANDLES = "COPY candles (exchange, symbol, timeframe, open_time_ms, open, high, " +
  "low, close, volume) FROM STDIN (FORMAT binary)";
const COPY_CHUNKS = "COPY candle_chunks (exchange, symbol, timeframe, start_ms, span_ms, count, " +
  "data) FROM STDIN (FORMAT binary)";
const MARKET = "exchange = $1::text AND symbol = $2::text AND timeframe = $3::text";

/** The start of the span holding `open_time_ms` (floor division, also below zero). */
function spanStartSql(column: string): string {
  return `(${column} - (((${column} % $4::bigint) + $4::bigint) % $4::bigint))`;
}

/** Stored rows per span over `[$5, $6)`. */
const STORED = `SELECT ${spanStartSql("open_time_ms")}, count(*) FROM candles WHERE ${MARKET} ` +
  "AND open_time_ms >= $5::bigint AND open_time_ms < $6::bigint GROUP BY 1";

/**
 * Staged rows into `candles`: stored rows that differ corrected, new keys inserted, identical
 * rows left alone (as the SQLite writer does); per span, the rows inserted and those changed.
 * Both parts see the rows as they were before; they touch different keys. Writers hold the
 * schema's write lock (`begin`), so no other writer inserts a staged key meanwhile.
 */
const UPSERT = `WITH corrected AS (
  UPDATE candles c SET open = s.open, high = s.high, low = s.low, close = s.close,
    volume = s.volume
  FROM candle_copy s
  WHERE c.exchange = $1::text AND c.symbol = $2::text AND c.timeframe = $3::text
    AND c.open_time_ms = s.open_time_ms
    AND (c.open, c.high, c.low, c.close, c.volume)
      IS DISTINCT FROM (s.open, s.high, s.low, s.close, s.volume)
  RETURNING c.open_time_ms
), inserted AS (
  INSERT INTO candles (exchange, symbol, timeframe, open_time_ms, open, high, low, close, volume)
  SELECT $1::text, $2::text, $3::text, s.open_time_ms, s.open, s.high, s.low, s.close, s.volume
  FROM candle_copy s
  WHERE NOT EXISTS (SELECT 1 FROM candles c WHERE c.exchange = $1::text
    AND c.symbol = $2::text AND c.timeframe = $3::text AND c.open_time_ms = s.open_time_ms)
  RETURNING open_time_ms
), changed AS (
  SELECT open_time_ms, 1 AS fresh FROM inserted
  UNION ALL SELECT open_time_ms, 0 AS fresh FROM corrected
)
SELECT ${spanStartSql("open_time_ms")}, sum(fresh), count(*) FROM changed GROUP BY 1`;

/** PostgreSQL 14 and later compress with LZ4 when built with it: about 20 times pglz's speed. */
const HAS_LZ4 = "SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression' " +
  "AND 'lz4' = ANY(enumvals)";
/** Whether each connection's server has LZ4, asked once. */
const lz4ByConnection = new WeakMap<PgDatabase, boolean>();

const DROP_CHUNKS = `DELETE FROM candle_chunks WHERE ${MARKET} AND start_ms = ANY($4::bigint[])`;

/**
 * Upserts `rows` through COPY with the counts and chunk upkeep of `CandleWriter.write`; call it
 * inside the write transaction. Null (nothing written) outside a transaction, or when two rows
 * share an open time or an open time is not an integer: the row-by-row writer handles those
 * exactly as SQLite does.
 */
export function copyCandles(
  db: PgDatabase,
  chunks: CandleChunks,
  market: MarketRef,
  rows: ArrayLike<CandleRow>,
): UpsertCounts | null {
  // COPY runs inside the write transaction only (`copyIn` tells a refused COPY by it).
  if (!db.isTransaction) return null;
  const sorted = ascendingUnique(rows);
  if (sorted === null || sorted.length === 0) return null;
  const n = sorted.length;
  const spanMs = chunkSpanMs(market.timeframe);
  const key = [market.exchange, market.symbol, market.timeframe, spanMs];
  const first = Math.floor(sorted[0][0] / spanMs) * spanMs;
  const end = Math.floor(sorted[n - 1][0] / spanMs) * spanMs + spanMs;
  // Rows stored per span before the write (none, for an import into an empty range).
  const stored = new Map<number, number>();
  for (const [start, count] of query(db, STORED, [...key, first, end])) stored.set(start, count);
  const { exchange, symbol, timeframe } = market;
  // No stored row in the write's range: every row is new (writers hold the schema's lock).
  const straight = stored.size === 0 && !hasNaN(sorted);
  if (!straight) exec(db, STAGE_CANDLES);
  const text = straight ? COPY_CANDLES : "COPY candle_copy FROM STDIN (FORMAT binary)";
  const prefix = straight ? [exchange, symbol, timeframe] : [];
  let negativeZero = false;
  for (let from = 0; from < n; from += CANDLES_PER_COPY) {
    const to = Math.min(n, from + CANDLES_PER_COPY);
    const { data, sawNegativeZero } = candleValues(db, sorted, from, to);
    negativeZero ||= sawNegativeZero;
    db.call({ op: "copyIn", text, data, candles: { prefix, count: to - from } });
  }
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const changed = new Set<number>();
  if (straight) {
    if (n >= ANALYZE_AFTER_ROWS) exec(db, "ANALYZE candles");
    counts.inserted = n;
    for (let i = 0; i < n; i++) {
      const start = Math.floor(sorted[i][0] / spanMs) * spanMs;
      changed.add(start);
      stored.set(start, (stored.get(start) ?? 0) + 1);
    }
  } else {
    for (const [start, inserted, written] of query(db, UPSERT, key)) {
      counts.inserted += inserted;
      counts.updated += written - inserted;
      changed.add(start);
      stored.set(start, (stored.get(start) ?? 0) + inserted);
    }
    exec(db, "TRUNCATE candle_copy");
    if (counts.inserted >= ANALYZE_AFTER_ROWS) exec(db, "ANALYZE candles");
  }
  counts.unchanged = n - counts.inserted - counts.updated;
  // Rows of this write per span, as index ranges of `sorted`.
  const ranges = new Map<number, [number, number]>();
  for (let i = 0; i < n;) {
    const start = Math.floor(sorted[i][0] / spanMs) * spanMs;
    let stop = i + 1;
    while (stop < n && sorted[stop][0] < start + spanMs) stop++;
    ranges.set(start, [i, stop]);
    i = stop;
  }
  const seen = new Set(ranges.keys());
  for (const start of changed) seen.delete(start);
  const packHere: [number, number][] = [];
  chunks.refresh(market, changed, seen, (start) => {
    const range = ranges.get(start);
    // SQLite and this path store -0 as 0: such rows are read back rather than packed as given.
    if (!range || negativeZero || stored.get(start) !== range[1] - range[0]) return false;
    packHere.push(range);
    return true;
  });
  if (packHere.length > 0) saveChunks(db, key, sorted, packHere);
  return counts;
}

/** True when a value of `rows` is NaN (SQLite binds it as NULL, which NOT NULL refuses). */
function hasNaN(rows: ArrayLike<CandleRow>): boolean {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (let c = 1; c < FIELDS; c++) if (Number.isNaN(row[c])) return true;
  }
  return false;
}

/**
 * Rows `[from, to)` as six float64 each in the area, for the worker to encode (`CopyInRequest`);
 * -0 is stored as 0, as SQLite stores it.
 */
function candleValues(
  db: PgDatabase,
  rows: ArrayLike<CandleRow>,
  from: number,
  to: number,
): { data: WireValue; sawNegativeZero: boolean } {
  db.area.reset();
  const length = (to - from) * FIELDS * 8;
  const at = db.area.reserve(length);
  if (at < 0) throw new RangeError(`${to - from} candles do not fit the byte area`);
  const values = new Float64Array(db.area.buffer, at, (to - from) * FIELDS);
  let sawNegativeZero = false;
  for (let i = from, k = 0; i < to; i++) {
    const row = rows[i];
    for (let c = 0; c < FIELDS; c++, k++) {
      const value = row[c];
      if (value === 0 && Object.is(value, -0)) sawNegativeZero = true;
      values[k] = value + 0;
    }
  }
  return { data: { $at: at, $len: length }, sawNegativeZero };
}

/**
 * Packs the chunks of `ranges` (index ranges of `rows`) and stores them by COPY, in place of
 * any stored at their starts.
 */
function saveChunks(
  db: PgDatabase,
  key: (string | number)[],
  rows: ArrayLike<CandleRow>,
  ranges: [number, number][],
): void {
  const spanMs = key[3] as number;
  const texts = key.slice(0, 3).map((text) => new TextEncoder().encode(String(text)));
  let prefixBytes = 0;
  for (const text of texts) prefixBytes += text.length;
  let lz4 = lz4ByConnection.get(db);
  if (lz4 === undefined) lz4ByConnection.set(db, lz4 = query(db, HAS_LZ4, [])[0][0] > 0);
  // Chunk BLOBs are compressed as they are stored; for this transaction with LZ4 if it can.
  if (lz4) exec(db, "SET LOCAL default_toast_compression = lz4");
  let next = 0;
  while (next < ranges.length) {
    const blobs: [number, Uint8Array][] = [];
    let size = 0;
    while (next < ranges.length && (blobs.length === 0 || size < CHUNK_BYTES_PER_COPY)) {
      const [from, to] = ranges[next++];
      const blob = packChunk(Array.prototype.slice.call(rows, from, to) as CandleRow[]);
      blobs.push([Math.floor(rows[from][0] / spanMs) * spanMs, blob]);
      size += CHUNK_FIXED_BYTES + prefixBytes + blob.length;
    }
    const starts = `{${blobs.map(([start]) => start).join(",")}}`;
    query(db, DROP_CHUNKS, [...key.slice(0, 3), starts]);
    const { at, view, bytes } = areaPayload(db, HEADER_BYTES + size + 2);
    let p = at + HEADER_BYTES;
    for (const [start, blob] of blobs) {
      view.setInt16(p, 7);
      p += 2;
      for (const text of texts) p = putBytes(view, bytes, p, text);
      p = putInt64(view, p, start);
      p = putInt64(view, p, spanMs);
      p = putInt64(view, p, (blob.length - 16) / (FIELDS * 8));
      p = putBytes(view, bytes, p, blob);
    }
    view.setInt16(p, -1);
    db.call({ op: "copyIn", text: COPY_CHUNKS, data: { $at: at, $len: p + 2 - at } });
  }
}

/** Room for a COPY stream of `length` bytes in the area, its header written. */
function areaPayload(
  db: PgDatabase,
  length: number,
): { at: number; view: DataView; bytes: Uint8Array } {
  db.area.reset();
  const at = db.area.reserve(length);
  if (at < 0) throw new RangeError(`a COPY of ${length} bytes does not fit the byte area`);
  const view = new DataView(db.area.buffer);
  const bytes = new Uint8Array(db.area.buffer);
  bytes.set(SIGNATURE, at);
  view.setInt32(at + SIGNATURE.length, 0);
  view.setInt32(at + SIGNATURE.length + 4, 0);
  return { at, view, bytes };
}

/** Writes a field of raw bytes (length, then the bytes) at `p`; returns the next offset. */
function putBytes(view: DataView, bytes: Uint8Array, p: number, value: Uint8Array): number {
  view.setInt32(p, value.length);
  bytes.set(value, p + 4);
  return p + 4 + value.length;
}

/** Writes a BIGINT field (length, then the value big-endian) at `p`; returns the next offset. */
function putInt64(view: DataView, p: number, value: number): number {
  const high = Math.floor(value / 4294967296);
  view.setInt32(p, 8);
  view.setInt32(p + 4, high);
  view.setUint32(p + 8, value - high * 4294967296);
  return p + 12;
}

function exec(db: PgDatabase, text: string): void {
  db.call({ op: "exec", text });
}

/** A statement in PostgreSQL's own SQL (not translated), its rows as arrays of numbers. */
function query(db: PgDatabase, text: string, params: (string | number)[]): number[][] {
  db.area.reset();
  const answer = db.call({ op: "query", text, params, arrays: true, returning: null });
  return (answer.rows ?? []) as number[][];
}

/** `rows` by ascending open time, or null when open times repeat or are not integers. */
function ascendingUnique(rows: ArrayLike<CandleRow>): ArrayLike<CandleRow> | null {
  let ascending = true;
  for (let i = 0; i < rows.length; i++) {
    if (!Number.isSafeInteger(rows[i][0])) return null;
    if (i > 0 && rows[i][0] <= rows[i - 1][0]) ascending = false;
  }
  if (ascending) return rows;
  const sorted = Array.from(rows).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i][0] === sorted[i - 1][0]) return null;
  }
  return sorted;
}

/**
 * Up to `limit` chunk BLOBs of `market` with `fromMs <= start_ms <= lastStartMs`, ascending, as
 * views into the connection's byte area: valid until its next call.
 */
export function copyChunkPage(
  db: PgDatabase,
  market: MarketRef,
  fromMs: number,
  lastStartMs: number,
  limit = CHUNKS_PER_READ,
): [number, Uint8Array][] {
  const span = chunkSpanMs(market.timeframe);
  const text = "COPY (SELECT start_ms, data FROM candle_chunks WHERE " +
    `exchange = ${literal(market.exchange)} AND symbol = ${literal(market.symbol)} AND ` +
    `timeframe = ${literal(market.timeframe)} AND span_ms = ${integer(span)} AND ` +
    `start_ms >= ${integer(fromMs)} AND start_ms <= ${integer(lastStartMs)} ` +
    `ORDER BY start_ms LIMIT ${integer(limit)}) TO STDOUT (FORMAT binary)`;
  const fields = db.call({ op: "copyOut", text }).fields ?? [];
  const page: [number, Uint8Array][] = [];
  for (const [startAt, startLength, dataAt, dataLength] of fields) {
    if (startLength !== 8 || dataLength < 0) throw new Error("unexpected candle_chunks row");
    const start = new DataView(db.area.buffer, startAt, 8).getBigInt64(0);
    page.push([Number(start), db.area.view(dataAt, dataLength)]);
  }
  return page;
}

/** A string as a SQL literal (COPY takes no parameters). */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A number as a BIGINT literal, ±Infinity as the BIGINT bounds. */
function integer(value: number): string {
  if (value === Infinity || value >= 2 ** 63) return "9223372036854775807";
  if (value === -Infinity || value <= -(2 ** 63)) return "-9223372036854775808";
  return BigInt(Math.trunc(value)).toString();
}
