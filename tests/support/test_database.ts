/**
 * The database a storage test runs on. By default the SQLite URL the test names; with
 * `TEST_DATABASE_URL=postgres://…` set (as `.ci/run` does for its PostgreSQL pass), a new schema
 * on that server for each call, so that tests running in parallel never see each other's rows.
 */

import { PgDatabase } from "../../src/storage/postgres/pg_database.ts";
import { parseDatabaseUrl } from "../../src/storage/database_url.ts";

/** PostgreSQL as `.ci/run` provides it on the project's machines. */
export const LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

/** `sqliteUrl` (SQLite pass), or a fresh schema on `TEST_DATABASE_URL` (PostgreSQL pass). */
export function testDatabaseUrl(sqliteUrl: string): string {
  const server = Deno.env.get("TEST_DATABASE_URL");
  if (!server) return sqliteUrl;
  return freshSchemaUrl(server);
}

/** A URL on `server` with a schema name no other test uses. */
export function freshSchemaUrl(server: string): string {
  const url = new URL(server);
  url.searchParams.set("schema", `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`);
  return url.href;
}

/** A fresh schema (`freshSchemaUrl`) that `using` drops, with everything in it, at scope end. */
export interface FreshSchema extends Disposable {
  readonly url: string;
}

/**
 * A fresh schema on `server` for one test, dropped when the test's scope ends: the shared
 * server's `test` database keeps no schema of a finished test. Stop the processes that use it
 * within that scope (a `finally` before the end of the block does).
 */
export function freshSchema(server: string): FreshSchema {
  const url = freshSchemaUrl(server);
  return {
    url,
    [Symbol.dispose]: () => {
      // A drop that fails is reported and leaves the test's own result alone.
      try {
        dropSchema(url);
      } catch (error) {
        const line = `test schema of ${url} not dropped: ${(error as Error).message}\n`;
        Deno.stderr.writeSync(new TextEncoder().encode(line));
      }
    },
  };
}

/**
 * Drops the schema of a `postgres://…?schema=…` URL with everything in it (SQLite, or no schema
 * in the URL: nothing); the soak drops its schema with it too. Waits at most 10 s for a lock a
 * leftover connection holds, then throws.
 */
export function dropSchema(url: string): void {
  const location = parseDatabaseUrl(url);
  if (location.kind !== "postgres" || location.schema === null) return;
  // A plain connection, not `openDatabase`: that would first create and migrate a schema that
  // is gone, or refuse one a test left at a newer version.
  const db = new PgDatabase({ url: location.url, schema: null, readOnly: false });
  try {
    db.exec("SET lock_timeout = '10s'");
    db.exec(`DROP SCHEMA IF EXISTS "${location.schema}" CASCADE`);
  } finally {
    db.close();
  }
}

/** Which backend the storage tests run on, for test names. */
export function testBackend(): "sqlite" | "postgres" {
  return Deno.env.get("TEST_DATABASE_URL") ? "postgres" : "sqlite";
}
