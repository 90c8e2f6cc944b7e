import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openDatabase, openStore } from "./mod.ts";
import { testDatabaseUrl } from "../../tests/support/test_database.ts";
import { dialectOf } from "./sql_database.ts";
import { stepFill, stepFilled, stepOrder, type WriterReport } from "./testdata/repo_writer.ts";

const WRITERS = 4;
const TRANSACTIONS = 10_000;

Deno.test("openDatabase serves 4 processes x 10,000 write transactions with 0 errors and 0 lost rows", async () => {
  const dir = await Deno.makeTempDir();
  const url = testDatabaseUrl(`sqlite:${dir}/concurrent.db`);
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

const WRITER_NAMES = ["w0", "w1", "w2", "w3"];
// Four repository writes a step: 4,000 writes per process.
const STEPS = 1_000;

/** Starts the repository writers, then lets them go together once every one is ready. */
async function runRepoWriters(dir: string, url: string): Promise<WriterReport[]> {
  const script = fileURLToPath(new URL("./testdata/repo_writer.ts", import.meta.url));
  const children = WRITER_NAMES.map((name) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script, url, name, String(STEPS), dir, WRITER_NAMES.join(",")],
      stdout: "piped",
      stderr: "piped",
    }).spawn()
  );
  const outputs = Promise.all(children.map((child) => child.output()));
  const deadline = Date.now() + 60_000;
  for (const name of WRITER_NAMES) {
    while (!(await exists(`${dir}/ready-${name}`))) {
      if (Date.now() > deadline) throw new Error(`writer ${name} never got ready`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  await Deno.writeTextFile(`${dir}/go`, "");
  return (await outputs).map((output) => {
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    return JSON.parse(new TextDecoder().decode(output.stdout));
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** All order and fill rows, and how often consecutive orders come from different writers. */
function tableFigures(url: string): { orders: number; fills: number; switches: number } {
  const db = openDatabase(url);
  try {
    // Insertion order: SQLite's rowid of orders; on PostgreSQL the inserting transaction id of
    // the fills (written once, in the step's transaction; orders are updated later).
    const rows = db.prepare(
      dialectOf(db) === "postgres"
        ? "SELECT instance FROM fills ORDER BY xmin::text::bigint"
        : "SELECT instance FROM orders ORDER BY rowid",
    ).all();
    const fills = db.prepare("SELECT count(*) AS n FROM fills").get()!.n as number;
    const switches = rows.filter((row, i) => i > 0 && row.instance !== rows[i - 1].instance);
    return { orders: rows.length, fills, switches: switches.length };
  } finally {
    db.close();
  }
}

Deno.test("order, fill and instance repos serve 4 overlapping processes x 1,000 steps (4,000 writes each): 0 errors, 0 half-written steps seen, every row once and intact", async () => {
  const dir = await Deno.makeTempDir();
  const url = testDatabaseUrl(`sqlite:${dir}/repos.db`);
  openDatabase(url).close();
  const started = performance.now();
  const reports = await runRepoWriters(dir, url);
  const wallMs = performance.now() - started;
  const rows = tableFigures(url);
  // deno-lint-ignore no-console
  console.log(
    `repos: ${reports.length} processes x ${STEPS} steps (order insert + fill update + fill + ` +
      `instance heartbeat): errors=${reports.map((r) => r.errors)} ` +
      `torn=${reports.map((r) => r.torn)} orders=${rows.orders} fills=${rows.fills} ` +
      `writer switches=${rows.switches} wall=${wallMs.toFixed(0)}ms`,
  );
  // The writers really ran at the same time: some instant lies inside every writer's interval.
  const lastToStart = Math.max(...reports.map((r) => r.firstWriteMs));
  const firstToEnd = Math.min(...reports.map((r) => r.lastWriteMs));
  assert.ok(lastToStart < firstToEnd, `no common instant: ${JSON.stringify(reports)}`);
  // ...and their transactions interleaved, instead of one writer after the other.
  assert.ok(rows.switches >= 100, `only ${rows.switches} switches between writers`);
  assert.deepEqual(reports.map((r) => r.errors), WRITER_NAMES.map(() => 0));
  assert.deepEqual(reports.map((r) => r.torn), WRITER_NAMES.map(() => 0));
  // Every row once, each with what its writer wrote.
  assert.deepEqual([rows.orders, rows.fills], [
    WRITER_NAMES.length * STEPS,
    WRITER_NAMES.length * STEPS,
  ]);
  const store = openStore(url);
  try {
    for (const name of WRITER_NAMES) {
      const orders = store.orders.recent(name, STEPS + 1).reverse();
      assert.equal(orders.length, STEPS, `${name}: orders`);
      orders.forEach((order, n) =>
        assert.deepEqual(order, { ...stepOrder(name, n), ...stepFilled(name, n) })
      );
      const fills = store.fills.byInstance(name);
      assert.equal(fills.length, STEPS, `${name}: fills`);
      fills.forEach((fill, n) => assert.deepEqual(fill, { ...stepFill(name, n), instance: name }));
      assert.deepEqual(store.instances.get(name)?.state, { steps: STEPS });
    }
    assert.equal(store.instances.list().length, WRITER_NAMES.length);
  } finally {
    store.close();
  }
  await Deno.remove(dir, { recursive: true });
});
