/**
 * The worker's half of the bulk paths (see `pg_copy.ts`): a `COPY … FROM STDIN` streams bytes
 * the caller laid out in the `ByteArea` (PostgreSQL's binary format), and a `COPY … TO STDOUT`
 * (binary) lays each field it answers into the area, instead of rows as JSON.
 */
import type postgres from "postgres";
import type { Writable } from "node:stream";
import type { ByteArea, CopyInRequest } from "./_pg_wire.ts";
import { fromWire } from "./_pg_wire.ts";

type Sql = ReturnType<typeof postgres>;

/** Bytes of PostgreSQL's binary COPY header: signature, flags and extension length. */
const HEADER_BYTES = 19;
const EXTENSION_AT = 15;
/** Bytes per CopyData message. */
const SLICE_BYTES = 1 << 20;
/** A COPY whose end is not acknowledged by then (and no error came) is given up. */
const COPY_END_TIMEOUT_MS = 60_000;

/**
 * Runs `COPY … FROM STDIN` with the request's bytes (a ref into the area, or base64) as its
 * stream, or with its candle rows encoded while the server takes them (`CopyInRequest`). Only
 * inside a transaction: that is how a COPY the server refused at its end is told (see below).
 */
export async function copyIn(sql: Sql, request: CopyInRequest, area: ByteArea): Promise<void> {
  const bytes = fromWire(request.data, area) as Uint8Array;
  area.reset();
  const writable = await sql.unsafe(request.text).writable() as unknown as Writable;
  if (request.candles) {
    const { prefix, count } = request.candles;
    const values = new Float64Array(bytes.buffer, bytes.byteOffset, count * FIELDS);
    await writeAll(sql, writable, candleSlices(values, count, prefix));
  } else {
    await writeAll(sql, writable, slices(bytes));
  }
}

function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
    yield bytes.subarray(at, at + SLICE_BYTES);
  }
}

const FIELDS = 6;
/** PostgreSQL's binary COPY signature; the flags and header extension length (0) follow. */
const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
/** Rows per encoded slice (about 0.8 MB). */
const SLICE_ROWS = 10_000;

/**
 * Rows as binary COPY tuples, a slice at a time: each is encoded while the server takes the
 * one before. A NaN goes as NULL (as SQLite binds it; NOT NULL then refuses it).
 */
function* candleSlices(
  values: Float64Array,
  count: number,
  prefix: string[],
): Generator<Uint8Array> {
  const texts = prefix.map((text) => new TextEncoder().encode(text));
  let rowBytes = 2 + FIELDS * 12;
  for (const text of texts) rowBytes += 4 + text.length;
  for (let from = 0; from < count || from === 0; from += SLICE_ROWS) {
    const to = Math.min(count, from + SLICE_ROWS);
    const first = from === 0;
    const last = to === count;
    const bytes = new Uint8Array((first ? HEADER_BYTES : 0) + (to - from) * rowBytes + 2);
    const view = new DataView(bytes.buffer);
    let p = 0;
    if (first) {
      bytes.set(SIGNATURE);
      p = HEADER_BYTES;
    }
    for (let i = from; i < to; i++) {
      view.setInt16(p, FIELDS + texts.length);
      p += 2;
      for (const text of texts) {
        view.setInt32(p, text.length);
        bytes.set(text, p + 4);
        p += 4 + text.length;
      }
      const row = i * FIELDS;
      const t = values[row];
      const high = Math.floor(t / 4294967296);
      view.setInt32(p, 8);
      view.setInt32(p + 4, high);
      view.setUint32(p + 8, t - high * 4294967296);
      p += 12;
      for (let c = 1; c < FIELDS; c++) {
        const value = values[row + c];
        if (value !== value) {
          view.setInt32(p, -1);
          p += 4;
          continue;
        }
        view.setInt32(p, 8);
        view.setFloat64(p + 4, value);
        p += 12;
      }
    }
    if (last) {
      view.setInt16(p, -1);
      p += 2;
    }
    yield bytes.subarray(0, p);
    if (last) return;
  }
}

/**
 * Writes `parts` as CopyData messages and ends the COPY; resolves once the server took it. Each
 * part is made while the one before is being sent (it waits for that one's flush, not its own).
 */
async function writeAll(
  sql: Sql,
  writable: Writable,
  parts: Iterable<Uint8Array>,
): Promise<void> {
  let failure: unknown = null;
  writable.on("error", (error) => failure = error);
  let flushed: Promise<void> = Promise.resolve();
  for (const part of parts) {
    if (failure !== null) break;
    const previous = flushed;
    flushed = new Promise((resolve) => writable.write(part, () => resolve()));
    await previous;
  }
  await flushed;
  if (failure !== null) throw failure;
  // The client resolves the end of a COPY only when the server confirms it, and drops an error
  // the server sends instead. A statement queued behind the COPY tells: inside the transaction a
  // failed COPY aborted, it fails, so the error comes back within moments, not at the timeout.
  const ended = new Promise<void>((resolve, reject) => {
    writable.once("error", reject);
    writable.end(() => resolve());
  });
  const probe = sql.unsafe("SELECT 1").simple();
  // Settled after the race below is decided, they must not count as unhandled.
  ended.catch(() => {});
  probe.catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error("the server did not acknowledge the end of a COPY")),
      COPY_END_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([
      ended,
      timeout,
      probe.then(
        () => ended,
        (error) => {
          throw Object.assign(
            new Error(`the server refused the COPY's rows: ${errorText(error)}`),
            { code: (error as { code?: string }).code ?? null },
          );
        },
      ),
    ]);
    await probe;
  } finally {
    clearTimeout(timer);
  }
}

function errorText(error: unknown): string {
  return String((error as { message?: string })?.message ?? error).split("\n")[0];
}

/**
 * Runs `COPY (…) TO STDOUT (FORMAT binary)` and lays each field into the area at an offset that
 * is a multiple of 8; answers `[at, length, at, length, …]` per row (length -1: NULL). The
 * server sends a row per message, so each is parsed as it comes, without joining them first.
 */
export async function copyOut(sql: Sql, text: string, area: ByteArea): Promise<number[][]> {
  area.reset();
  const readable = await sql.unsafe(text).readable();
  const rows: number[][] = [];
  let pending: Uint8Array | null = null;
  let header = true;
  for await (const part of readable) {
    let bytes = part as Uint8Array;
    if (pending) {
      const joined = new Uint8Array(pending.length + bytes.length);
      joined.set(pending);
      joined.set(bytes, pending.length);
      bytes = joined;
    }
    let at = 0;
    if (header) {
      if (bytes.length < HEADER_BYTES) {
        pending = bytes.slice();
        continue;
      }
      at = HEADER_BYTES + new DataView(bytes.buffer, bytes.byteOffset).getInt32(EXTENSION_AT);
      header = false;
    }
    at = parseRows(bytes, at, area, rows);
    pending = at < bytes.length ? bytes.slice(at) : null;
  }
  // The client pauses its socket whenever the stream's buffer is full and resumes it from the
  // stream's `read`, which an ended stream no longer calls: when the last data and the end came
  // in one piece, the socket stayed paused and the next statement never got its answer.
  (readable as unknown as { _read?: () => void })._read?.();
  if (header || pending) throw new Error("COPY answered an incomplete binary stream");
  return rows;
}

/** Parses the whole rows of `bytes` from `at` into `rows`; answers where the rest begins. */
function parseRows(bytes: Uint8Array, from: number, area: ByteArea, rows: number[][]): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = from;
  while (at + 2 <= bytes.length) {
    const fields = view.getInt16(at);
    if (fields === -1) return bytes.length;
    // A row is parsed once all of it is here.
    let end = at + 2;
    for (let f = 0; f < fields; f++) {
      if (end + 4 > bytes.length) return at;
      end += 4 + Math.max(0, view.getInt32(end));
    }
    if (end > bytes.length) return at;
    at += 2;
    const row: number[] = [];
    for (let f = 0; f < fields; f++) {
      const length = view.getInt32(at);
      at += 4;
      if (length < 0) {
        row.push(0, -1);
        continue;
      }
      const to = area.reserve(length);
      if (to < 0) throw new RangeError("a COPY answer does not fit the byte area");
      area.view(to, length).set(bytes.subarray(at, at + length));
      row.push(to, length);
      at += length;
    }
    rows.push(row);
  }
  return at;
}
