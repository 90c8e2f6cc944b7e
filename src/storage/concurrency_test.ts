import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openDatabase } from "./mod.ts";

const WRITERS = 4;
const TRANSACTIONS = 10_000;

Deno.test("openDatabase serves 4 processes x 10,000 write transactions with 0 errors and 0 lost rows", async () => {
  const dir = await Deno.makeTempDir();
  const url = `sqlite:${dir}/concurrent.db`;
  openDatabase(url).close();
  const script = fileURLToPath(new URL("./testdata/concurrent_writer.ts", import.meta.url));
  const started = performance.now();
  const children = Array.from({ length: WRITERS }, (_, n) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script, url, `w${n}`, String(TRANSACTIONS)],
      stdout: "piped",
      stderr: "piped",
    }).output());
  const outputs = await Promise.all(children);
  const wallMs = performance.now() - started;
  const results = outputs.map((output) => {
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    return JSON.parse(new TextDecoder().decode(output.stdout));
  });
  const db = openDatabase(url);
  const rows = db.prepare(
    "SELECT instance, count(*) AS n, max(time_ms) AS last FROM equity " +
      "GROUP BY instance ORDER BY instance",
  ).all();
  db.close();
  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  const total = rows.reduce((sum, row) => sum + (row.n as number), 0);
  // deno-lint-ignore no-console
  console.log(
    `concurrency: ${WRITERS} processes x ${TRANSACTIONS} BEGIN IMMEDIATE transactions: ` +
      `errors=${errors} rows=${total}/${WRITERS * TRANSACTIONS} wall=${wallMs.toFixed(0)}ms ` +
      `(${Math.round((WRITERS * TRANSACTIONS) / (wallMs / 1000))} tx/s)`,
  );
  assert.equal(errors, 0);
  assert.equal(total, WRITERS * TRANSACTIONS);
  for (const row of rows) {
    assert.equal(row.n, TRANSACTIONS);
    assert.equal(row.last, TRANSACTIONS - 1);
  }
  await Deno.remove(dir, { recursive: true });
});
