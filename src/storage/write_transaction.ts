/** Write transactions: always `BEGIN IMMEDIATE`, so writers queue on the busy timeout. */
import type { SqlDatabase } from "./sql_database.ts";
import { StorageError } from "../core/errors.ts";

/**
 * Runs `fn` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
 * A deferred transaction that reads then writes fails at once with SQLITE_BUSY under
 * concurrency; IMMEDIATE takes the write lock first and waits on `busy_timeout` instead.
 * On PostgreSQL, `BEGIN IMMEDIATE` takes one lock per schema, so writers queue the same way.
 * Called inside an open transaction, `fn` joins it. `fn` must be synchronous.
 */
export function writeTransaction<T>(db: SqlDatabase, fn: () => T): T {
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
    if (db.isTransaction) rollback(db);
    throw isFull(error)
      ? new StorageError(
        "Cannot write to the database: it is full (no disk space, or max_page_count reached); " +
          "the transaction was rolled back",
        { cause: error },
      )
      : error;
  }
}

/** Rolls back; a failed rollback (a lost connection) must not hide the error that caused it. */
function rollback(db: SqlDatabase): void {
  try {
    db.exec("ROLLBACK");
  } catch {
    // The connection is gone, and the transaction with it.
  }
}

const SQLITE_FULL = 13;
/** PostgreSQL's disk_full SQLSTATE. */
const PG_DISK_FULL = "53100";

/** SQLITE_FULL (or an extended code of it): the disk, or the page limit, has no room. */
function isFull(error: unknown): boolean {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode === "number" && (errcode & 0xff) === SQLITE_FULL) return true;
  if ((error as { code?: unknown } | null)?.code === PG_DISK_FULL) return true;
  // A real full disk at COMMIT reaches node:sqlite as a bare ERR_SQLITE_ERROR with this text.
  return error instanceof Error && /database or disk is full/.test(error.message);
}
