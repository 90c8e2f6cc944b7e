/**
 * The database a storage test runs on. By default the SQLite URL the test names; with
 * `TEST_DATABASE_URL=postgres://…` set (as `.ci/run` does for its PostgreSQL pass), a new schema
 * on that server for each call, so that tests running in parallel never see each other's rows.
 */

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

/** Which backend the storage tests run on, for test names. */
export function testBackend(): "sqlite" | "postgres" {
  return Deno.env.get("TEST_DATABASE_URL") ? "postgres" : "sqlite";
}
