/**
 * The soak's PostgreSQL pieces on the test server: a fresh schema per run, the table scan that
 * stands in for the file + WAL scan (it finds a key in a text column and in a BLOB), the drop.
 */
import assert from "node:assert/strict";
import { openDatabase } from "../../src/storage/database.ts";
import { parseDatabaseUrl } from "../../src/storage/database_url.ts";
import { PgDatabase } from "../../src/storage/postgres/pg_database.ts";
import { LOCAL_POSTGRES_URL } from "../../tests/support/test_database.ts";
import { scanTables } from "./secret_check.ts";
import { dropSoakSchema, soakDatabaseUrl, soakSchema, tableNames } from "./soak_database.ts";

const SERVER = Deno.env.get("TEST_DATABASE_URL") ?? LOCAL_POSTGRES_URL;

function schemasNamed(name: string): string[] {
  const location = parseDatabaseUrl(SERVER);
  if (location.kind !== "postgres") throw new Error(`not a PostgreSQL URL: ${SERVER}`);
  const db = new PgDatabase({ url: location.url, schema: null, readOnly: true });
  try {
    return db.prepare("SELECT nspname AS name FROM pg_namespace WHERE nspname = ?").all(name)
      .map((row) => String(row.name));
  } finally {
    db.close();
  }
}

Deno.test("soakDatabaseUrl: a SQLite file in the work directory, or a new soak_ schema on the server", () => {
  assert.equal(soakDatabaseUrl("/tmp/w", null), "sqlite:/tmp/w/trading.db");
  const [a, b] = [soakDatabaseUrl("/tmp/w", SERVER), soakDatabaseUrl("/tmp/w", SERVER)];
  assert.match(soakSchema(a) ?? "", /^soak_[0-9a-f]{16}$/);
  assert.notEqual(soakSchema(a), soakSchema(b));
  assert.equal(soakSchema("sqlite:/tmp/w/trading.db"), null);
  assert.throws(() => soakDatabaseUrl("/tmp/w", "sqlite:/tmp/x.db"), /must be a postgres/);
});

Deno.test("scanTables finds a key in any table's text or BLOB, and dropSoakSchema removes the schema", () => {
  const url = soakDatabaseUrl("/unused", SERVER);
  const db = openDatabase(url);
  try {
    assert.deepEqual(schemasNamed(soakSchema(url)!), [soakSchema(url)]);
    const clean = scanTables(url, ["soak-key"]);
    assert.deepEqual(clean.hits, []);
    assert.ok(clean.files.includes("table:orders") && clean.files.includes("table:instances"));
    assert.deepEqual(clean.files, tableNames(db).map((t) => `table:${t}`));
    // PostgreSQL's own DDL: `exec` passes a script through as it is.
    db.exec('CREATE TABLE "Leak Notes" (note TEXT, raw BYTEA)');
    db.prepare('INSERT INTO "Leak Notes" (note, raw) VALUES (?, ?)')
      .run("sent with soak-key", new TextEncoder().encode("secret soak-blob-secret"));
    const found = scanTables(url, ["soak-key", "soak-blob-secret", "absent"]);
    assert.deepEqual(found.hits.sort(), ["Leak Notes: soak-blob-secret", "Leak Notes: soak-key"]);
    assert.ok(found.rows >= 1);
  } finally {
    db.close();
    dropSoakSchema(url);
  }
  assert.deepEqual(schemasNamed(soakSchema(url)!), []);
});
