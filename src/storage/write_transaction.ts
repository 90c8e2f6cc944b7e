/** Write transactions: always `BEGIN IMMEDIATE`, so writers queue on the busy timeout. */
import type { DatabaseSync } from "node:sqlite";
import { StorageError } from "../core/errors.ts";

/**
 * Runs `fn` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
 * A deferred transaction that reads then writes fails at once with SQLITE_BUSY under
 * concurrency; IMMEDIATE takes the write lock first and waits on `busy_timeout` instead.
 * Called inside an open transaction, `fn` joins it. `fn` must be synchronous.
 */
export function writeTransaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) return fn();
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new StorageError("Cannot write: a write transaction body must be synchronous");
    }
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw isFull(error)
      ? new StorageError(
        "Cannot write to the database: it is full (no disk space, or max_page_count reached); " +
          "the transaction was rolled back",
        { cause: error },
      )
      : error;
  }
}

const SQLITE_FULL = 13;

/** SQLITE_FULL (or an extended code of it): the disk, or the page limit, has no room. */
function isFull(error: unknown): boolean {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode === "number" && (errcode & 0xff) === SQLITE_FULL) return true;
  // A real full disk at COMMIT reaches node:sqlite as a bare ERR_SQLITE_ERROR with this text.
  return error instanceof Error && /database or disk is full/.test(error.message);
}
