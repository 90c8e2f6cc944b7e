/**
 * `tasks/soak.ts --db postgres://…` as a real process, short: the same traders, backfills,
 * dashboards and writer probe on a fresh schema of the test server pass every check, the report
 * names the database, and the schema is gone afterwards.
 */
import assert from "node:assert/strict";
import { maskDatabaseUrl, parseDatabaseUrl } from "../src/storage/database_url.ts";
import { PgDatabase } from "../src/storage/postgres/pg_database.ts";
import { LOCAL_POSTGRES_URL } from "../tests/support/test_database.ts";
import { dropSoakSchema } from "../tools/soak/mod.ts";
import { soakFailureMessage } from "../tests/support/soak_output.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const SERVER = Deno.env.get("TEST_DATABASE_URL") ?? LOCAL_POSTGRES_URL;

/** `SERVER` with `?schema=NAME`. */
function schemaUrl(schema: string): string {
  const url = new URL(SERVER);
  url.searchParams.set("schema", schema);
  return url.href;
}

/** Names of the schemas on the server whose name starts with `prefix`. */
function schemasLike(prefix: string): string[] {
  const location = parseDatabaseUrl(SERVER);
  if (location.kind !== "postgres") throw new Error(`not a PostgreSQL URL: ${SERVER}`);
  const db = new PgDatabase({ url: location.url, schema: null, readOnly: true });
  try {
    return db.prepare("SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, ?)")
      .all(prefix).map((row) => String(row.name));
  } finally {
    db.close();
  }
}

Deno.test("soak task short run on PostgreSQL: 7 traders with keys, backfill and dashboard on one schema pass every check; the schema is dropped", async () => {
  const dir = await Deno.makeTempDir({ prefix: "soak_pg_test_" });
  let schema: string | null = null;
  try {
    const report = `${dir}/soak-report.json`;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "tasks/soak.ts", "--seconds", "20", "--db", SERVER, "--report", report],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdin: "null",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    // The first progress line names the schema, so a failed run's schema is dropped below too.
    schema = /[?&]schema=(soak_[0-9a-f]{16})\b/.exec(stdout)?.[1] ?? null;
    assert.equal(output.code, 0, soakFailureMessage(output));
    assert.match(stdout, /soak passed/);
    assert.ok(schema !== null, stdout);
    const run = JSON.parse(await Deno.readTextFile(report));
    assert.equal(run.ok, true);
    assert.equal(run.database, maskDatabaseUrl(schemaUrl(schema)));
    assert.match(stdout, new RegExp(`^database +postgres://\\S+\\?schema=${schema}$`, "m"));
    assert.equal(run.checks.length, 11);
    assert.ok(run.checks.every((c: { ok: boolean }) => c.ok));
    const names = run.checks.map((c: { name: string }) => c.name);
    assert.ok(names.includes("no deadlock / serialization failure / lost connection"));
    assert.ok(names.includes("every row of every table reads back"));
    const secrets = run.checks.find((c: { name: string }) =>
      c.name === "no API key or secret in logs, output or DB tables"
    );
    assert.match(secrets.detail, /0 hits in \d+ tables/);
    assert.deepEqual([run.instances.paperTraders, run.instances.liveTraders], [6, 1]);
    assert.ok(run.instances.backfillRuns > 0 && run.instances.dashboardRuns > 0);
    assert.ok(run.candles.rows > 1000, `candles ${run.candles.rows}`);
    assert.ok(run.writeLatencyMs.samples > 20 && run.writeLatencyMs.p99 !== null);
    assert.equal(Object.keys(run.heartbeats).length, 7);
    assert.equal(run.rateLimit.rejected429, 0);
    assert.deepEqual(schemasLike(schema), [], `schema ${schema} still exists`);
  } finally {
    await Deno.remove(dir, { recursive: true });
    if (schema !== null && schemasLike(schema).length > 0) dropSoakSchema(schemaUrl(schema));
  }
});
