/**
 * The worker's half of the bulk paths (see `pg_copy.ts`): a `COPY … FROM STDIN` streams bytes
 * the caller laid out in the `ByteArea` (PostgreSQL's binary format), and a `COPY … TO STDOUT`
 * (binary) lays each field it answers into the area, instead of rows as JSON.
 */
import type postgres from "postgres";
import type { Writable } from "node:stream";
import type { ByteArea, WireValue } from "./_pg_wire.ts";
import { fromWire } from "./_pg_wire.ts";

type Sql = ReturnType<typeof postgres>;

/** Bytes of PostgreSQL's binary COPY header: signature, flags and extension length. */
const HEADER_BYTES = 19;
const EXTENSION_AT = 15;
/** Bytes per CopyData message. */
const SLICE_BYTES = 1 << 20;
/** A COPY whose end is not acknowledged by then means the connection is gone. */
const COPY_END_TIMEOUT_MS = 300_000;

/**
 * Runs `COPY … FROM STDIN` (`text`) with `data` (a ref into the area, or base64) as its stream.
 * Keep the target free of constraints: the client reports no error of a COPY it has streamed.
 */
export async function copyIn(sql: Sql, text: string, data: WireValue, area: ByteArea) {
  const bytes = fromWire(data, area) as Uint8Array;
  area.reset();
  const writable = await sql.unsafe(text).writable();
  await writeAll(writable as unknown as Writable, bytes);
}

/** Writes `payload` as CopyData messages and ends the COPY; resolves once the server took it. */
async function writeAll(writable: Writable, payload: Uint8Array): Promise<void> {
  let failure: unknown = null;
  writable.on("error", (error) => failure = error);
  for (let at = 0; at < payload.length && failure === null; at += SLICE_BYTES) {
    const more = writable.write(payload.subarray(at, at + SLICE_BYTES));
    if (!more) await new Promise((resolve) => writable.once("drain", resolve));
  }
  if (failure !== null) throw failure;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      writable.once("error", reject);
      writable.end(() => resolve());
      timer = setTimeout(
        () =>
          reject(
            Object.assign(new Error("the server did not acknowledge the end of a COPY"), {
              code: "CONNECTION_CLOSED",
            }),
          ),
        COPY_END_TIMEOUT_MS,
      );
    });
  } finally {
    clearTimeout(timer);
  }
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
