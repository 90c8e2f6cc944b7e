/**
 * The soak's database: a fresh SQLite file in the work directory, or a fresh schema
 * (`?schema=soak_<random>`) on a PostgreSQL server, dropped again at the end.
 */
import { maskDatabaseUrl, parseDatabaseUrl } from "../../src/storage/database_url.ts";
import type { SqlDatabase } from "../../src/storage/sql_database.ts";

/** The DB the soak's processes share: `sqlite:DIR/trading.db`, or a new schema on `server`. */
export function soakDatabaseUrl(dir: string, server: string | null): string {
  if (server === null) return `sqlite:${dir}/trading.db`;
  const location = parseDatabaseUrl(server);
  if (location.kind !== "postgres") {
    throw new Error(`the soak's --db must be a postgres:// URL (got "${maskDatabaseUrl(server)}")`);
  }
  const url = new URL(server);
  url.searchParams.set("schema", `soak_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`);
  return url.href;
}

/** True when `url` is a PostgreSQL URL. */
export function isPostgresUrl(url: string): boolean {
  return parseDatabaseUrl(url).kind === "postgres";
}

/** The PostgreSQL schema the soak ran in (its URL's `schema`), or null for SQLite. */
export function soakSchema(url: string): string | null {
  const location = parseDatabaseUrl(url);
  return location.kind === "postgres" ? location.schema : null;
}

/** Drops the soak's PostgreSQL schema with everything in it (nothing to do for SQLite). */
export { dropSchema as dropSoakSchema } from "../../tests/support/test_database.ts";

/** Every base table of the database's schema (the connection's own), by name. */
export function tableNames(db: SqlDatabase): string[] {
  return db.prepare(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  ).all().map((row) => String(row.name));
}

/** Each row of `table` as text (BLOB bytes as Latin-1), for searching. */
export function* rowTexts(db: SqlDatabase, table: string): Generator<string> {
  const latin1 = new TextDecoder("latin1");
  for (const row of db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).all()) {
    yield Object.values(row).map((value) =>
      value instanceof Uint8Array ? latin1.decode(value) : String(value)
    ).join("\u0000");
  }
}
