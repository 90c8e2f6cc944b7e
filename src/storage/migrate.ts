/** Applies `MIGRATIONS` in order, each in one transaction, tracked by `PRAGMA user_version`. */
import type { DatabaseSync } from "node:sqlite";
import { StorageInputError } from "../core/errors.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
import { writeTransaction } from "./write_transaction.ts";

/** The database's `PRAGMA user_version`. */
export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number };
  return row.user_version;
}

/** Refuses a database written by a newer build; we never migrate down. */
export function assertNotNewer(db: DatabaseSync, label: string): number {
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StorageInputError(
      `Cannot open database "${label}": schema version ${version} is newer than this build's ` +
        `${SCHEMA_VERSION}; upgrade the software`,
    );
  }
  return version;
}

/** Brings the schema up to `SCHEMA_VERSION`; returns the versions applied. */
export function migrate(db: DatabaseSync, label: string): number[] {
  const applied: number[] = [];
  if (assertNotNewer(db, label) >= SCHEMA_VERSION) return applied;
  for (;;) {
    // Re-read inside the lock: another process may have migrated meanwhile.
    const next = writeTransaction(db, () => {
      const version = assertNotNewer(db, label);
      if (version >= SCHEMA_VERSION) return null;
      db.exec(MIGRATIONS[version]);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      return version + 1;
    });
    if (next === null) return applied;
    applied.push(next);
  }
}
