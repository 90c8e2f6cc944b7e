/**
 * The JSON the PostgreSQL connection and its worker exchange: byte strings travel as base64 and
 * ±Infinity (SQLite compares them; JSON cannot carry them) as the BIGINT bounds.
 */

/** A byte string on the wire. */
interface WireBytes {
  readonly $bytes: string;
}

/** A byte string in the `ByteArea`, by offset and length. */
interface WireRef {
  readonly $at: number;
  readonly $len: number;
}

/** One value as JSON can carry it. */
export type WireValue = null | number | string | WireBytes | WireRef;

/** Bytes of the area beside the JSON channel: the BLOBs of one call (packed candles). */
const BYTE_AREA_BYTES = 256 << 20;

/**
 * Byte strings beside the JSON: a second shared buffer that the sender of each message fills
 * from offset 0 (the calls take turns), so BLOBs cross as bytes instead of base64 text.
 */
export class ByteArea {
  readonly buffer: SharedArrayBuffer;
  readonly #view: Uint8Array;
  #used = 0;

  constructor(buffer = new SharedArrayBuffer(BYTE_AREA_BYTES)) {
    this.buffer = buffer;
    this.#view = new Uint8Array(buffer);
  }

  /** Starts a new message. */
  reset(): void {
    this.#used = 0;
  }

  /** `bytes` in the area (base64 in the JSON when the area is full). */
  put(bytes: Uint8Array): WireValue {
    if (this.#used + bytes.length > this.#view.length) {
      return {
        $bytes: (bytes as Uint8Array & Base64Bytes).toBase64(),
      };
    }
    this.#view.set(bytes, this.#used);
    const ref = { $at: this.#used, $len: bytes.length };
    this.#used += bytes.length;
    return ref;
  }

  /**
   * Room for `length` bytes at an offset that is a multiple of 8 (so float64 columns inside can
   * be viewed in place), or -1 when the area is full. Fill it through `view`.
   */
  reserve(length: number): number {
    const at = Math.ceil(this.#used / 8) * 8;
    if (at + length > this.#view.length) return -1;
    this.#used = at + length;
    return at;
  }

  /** The area's bytes `[at, at + length)` in place (valid until the next message). */
  view(at: number, length: number): Uint8Array {
    return this.#view.subarray(at, at + length);
  }

  /** A copy, on its own (non-shared) buffer, of the bytes `ref` names. */
  take(ref: WireRef): Uint8Array {
    return this.#view.slice(ref.$at, ref.$at + ref.$len);
  }
}

/** Requests the connection sends its worker. */
export type WireRequest =
  | { op: "open"; url: string; schema: string | null; readOnly: boolean }
  | { op: "query"; text: string; params: WireValue[]; arrays: boolean; returning: string | null }
  | { op: "exec"; text: string }
  | { op: "begin"; write: boolean }
  | { op: "commit" }
  | { op: "rollback" }
  | { op: "catalog" }
  | { op: "close" }
  | CopyInRequest
  | { op: "copyOut"; text: string };

/**
 * `COPY … FROM STDIN` with `data` as its binary stream; or, with `candles`, `data` holds
 * `candles.count` rows of six little-endian float64 (`[t, o, h, l, c, v]`) that the worker
 * encodes as the stream while the server takes it, each row after the text fields `prefix`.
 */
export interface CopyInRequest {
  readonly op: "copyIn";
  readonly text: string;
  readonly data: WireValue;
  readonly candles?: { readonly prefix: string[]; readonly count: number };
}

/** An error as the worker reports it: PostgreSQL's SQLSTATE or the driver's code. */
export interface WireError {
  readonly message: string;
  readonly code: string | null;
  readonly detail: string | null;
}

/** Every answer: the result or the error, and whether a transaction is open afterwards. */
export interface WireAnswer {
  readonly tx: boolean;
  readonly error?: WireError;
  readonly rows?: unknown[];
  readonly changes?: number;
  readonly lastInsertRowid?: number;
  /** `copyOut`: per row, `[at, length]` of each field in the area (`[0, -1]`: NULL). */
  readonly fields?: number[][];
  readonly catalog?: {
    primaryKeys: Record<string, string[]>;
    identities: Record<string, string>;
  };
}

const MAX_BIGINT = "9223372036854775807";
const MIN_BIGINT = "-9223372036854775808";

/** A parameter or cell as it crosses between the connection and its worker. */
export function toWire(value: unknown, area: ByteArea): WireValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") {
    if (value === Infinity) return MAX_BIGINT;
    if (value === -Infinity) return MIN_BIGINT;
    return Number.isNaN(value) ? null : value;
  }
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return area.put(value);
  return value as string;
}

/** The built-in base64 of `Uint8Array` (no `node:buffer`, whose Node layer slows every start). */
interface Base64Bytes {
  toBase64(): string;
}
interface Base64Decoder {
  fromBase64(text: string): Uint8Array;
}

/** A parameter or cell back from the wire (bytes as a `Uint8Array` of their own). */
export function fromWire(value: unknown, area: ByteArea): unknown {
  if (value === null || typeof value !== "object") return value;
  if ("$at" in value) return area.take(value as WireRef);
  if ("$bytes" in value) {
    return (Uint8Array as unknown as Base64Decoder).fromBase64((value as WireBytes).$bytes);
  }
  return value;
}

/** True when a cell must be encoded (a byte string); rows without one pass untouched. */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}
