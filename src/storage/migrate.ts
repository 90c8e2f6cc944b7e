/**
 * Applies `MIGRATIONS` in order, each in one transaction. The version is SQLite's
 * `PRAGMA user_version`, or the `schema_version` table on PostgreSQL, where each migration runs
 * as `translateDdl` rewrites it.
 */
import { StorageInputError } from "../core/errors.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
import { writeTransaction } from "./write_transaction.ts";
import { dialectOf, type SqlDatabase } from "./sql_database.ts";
import { translateDdl } from "./postgres/pg_ddl.ts";

/** The database's schema version; 0 for an empty database. */
export function schemaVersion(db: SqlDatabase): number {
  if (dialectOf(db) === "postgres") {
    // A scan of the catalog with this statement's snapshot, not `to_regclass`, which looks the
    // name up through the connection's catalog cache: processes opening a new schema at once
    // that had waited on its lock still found no table that way, migrated again and failed with
    // `relation "candles" already exists` (2 to 5 of 8 processes).
    const table = db.prepare(
      "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() " +
        "AND tablename = 'schema_version') AS present",
    ).get();
    if (!table?.present) return 0;
  }
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number };
  return Number(row.user_version);
}

/** Refuses a database written by a newer build; we never migrate down. */
export function assertNotNewer(db: SqlDatabase, label: string): number {
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StorageInputError(
      `Cannot open database "${label}": schema version ${version} is newer than this build's ` +
        `${SCHEMA_VERSION}; upgrade the software`,
    );
  }
  return version;
}

/** Sets the schema version (inside the migration's transaction). */
export function setSchemaVersion(db: SqlDatabase, version: number): void {
  if (dialectOf(db) === "sqlite") {
    db.exec(`PRAGMA user_version = ${version}`);
    return;
  }
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL); " +
      `DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (${version})`,
  );
}

/** Brings the schema up to `SCHEMA_VERSION`; returns the versions applied. */
export function migrate(db: SqlDatabase, label: string): number[] {
  const applied: number[] = [];
  if (assertNotNewer(db, label) >= SCHEMA_VERSION) return applied;
  const postgres = dialectOf(db) === "postgres";
  for (;;) {
    // Re-read inside the lock: another process may have migrated meanwhile.
    const next = writeTransaction(db, () => {
      const version = assertNotNewer(db, label);
      if (version >= SCHEMA_VERSION) return null;
      db.exec(postgres ? translateDdl(MIGRATIONS[version]) : MIGRATIONS[version]);
      setSchemaVersion(db, version + 1);
      return version + 1;
    });
    if (next === null) return applied;
    applied.push(next);
  }
}
