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
    throw error;
  }
}
