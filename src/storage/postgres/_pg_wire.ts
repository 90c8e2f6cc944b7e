/**
 * The JSON the PostgreSQL connection and its worker exchange: byte strings travel as base64 and
 * ±Infinity (SQLite compares them; JSON cannot carry them) as the BIGINT bounds.
 */
import { Buffer } from "node:buffer";

/** A byte string on the wire. */
interface WireBytes {
  readonly $bytes: string;
}

/** One value as JSON can carry it. */
export type WireValue = null | number | string | WireBytes;

/** Requests the connection sends its worker. */
export type WireRequest =
  | { op: "open"; url: string; schema: string | null; readOnly: boolean }
  | { op: "query"; text: string; params: WireValue[]; arrays: boolean; returning: string | null }
  | { op: "exec"; text: string }
  | { op: "begin"; write: boolean }
  | { op: "commit" }
  | { op: "rollback" }
  | { op: "catalog" }
  | { op: "close" };

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
  readonly catalog?: {
    primaryKeys: Record<string, string[]>;
    identities: Record<string, string>;
  };
}

const MAX_BIGINT = "9223372036854775807";
const MIN_BIGINT = "-9223372036854775808";

/** A parameter as it crosses to the worker. */
export function toWire(value: unknown): WireValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") {
    if (value === Infinity) return MAX_BIGINT;
    if (value === -Infinity) return MIN_BIGINT;
    return Number.isNaN(value) ? null : value;
  }
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) {
    return {
      $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64"),
    };
  }
  return value as string;
}

/** A parameter or cell back from the wire (bytes as `Uint8Array`). */
export function fromWire(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "$bytes" in value) {
    return new Uint8Array(Buffer.from((value as WireBytes).$bytes, "base64"));
  }
  return value;
}

/** True when a cell must be encoded (a byte string); rows without one pass untouched. */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}
