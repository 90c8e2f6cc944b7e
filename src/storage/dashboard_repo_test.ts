import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { testBackend } from "../../tests/support/test_database.ts";
import { DashboardRepo } from "./dashboard_repo.ts";
import { openDatabase } from "./database.ts";
import {
  createFixtureDb,
  putCandles,
  putEquity,
  putInstance,
  putOrder,
  putTrade,
} from "../../tests/support/dashboard_fixtures.ts";

const NOW = Date.UTC(2024, 6, 10, 12, 0, 0);
const DAY_START = Date.UTC(2024, 6, 10);

Deno.test("DashboardRepo snapshot reads instances with day-start equity and sparkline", async () => {
  const fx = await createFixtureDb();
  putInstance(fx.db, { name: "b", equityQuote: 10_300 }, NOW);
  putInstance(fx.db, { name: "a", equityQuote: null, config: null }, NOW);
  putEquity(fx.db, "b", [
    [DAY_START - 7200_000, 9_900],
    [DAY_START - 60_000, 10_000],
    ...Array.from(
      { length: 50 },
      (_, i) => [DAY_START + i * 60_000, 10_000 + i] as [number, number],
    ),
  ]);
  const reader = openDatabase(fx.url, { readOnly: true });
  const snapshot = new DashboardRepo(reader).snapshot(NOW, { sparkPoints: 5 });
  assert.deepEqual(snapshot.instances.map((i) => i.name), ["a", "b"]);
  const [a, b] = snapshot.instances;
  assert.equal(a.dayStartEquityQuote, null);
  assert.deepEqual(a.equitySpark, []);
  assert.equal(a.config, null);
  assert.equal(b.dayStartEquityQuote, 10_000);
  assert.deepEqual(b.equitySpark, [10_045, 10_046, 10_047, 10_048, 10_049]);
  assert.deepEqual(b.config, {
    risk: { max_drawdown_pct: 25, daily_loss_limit_pct: 5 },
    account: { balance: 10_000 },
  });
  assert.equal(b.heartbeatMs, NOW - 1000);
  reader.close();
  fx.db.close();
  await Deno.remove(fx.dir, { recursive: true });
});

Deno.test("DashboardRepo snapshot falls back to the first sample of the day", async () => {
  const fx = await createFixtureDb();
  putInstance(fx.db, { name: "new" }, NOW);
  putEquity(fx.db, "new", [[DAY_START + 1000, 5_000], [DAY_START + 2000, 5_100]]);
  const snapshot = new DashboardRepo(fx.db).snapshot(NOW);
  assert.equal(snapshot.instances[0].dayStartEquityQuote, 5_000);
  fx.db.close();
  await Deno.remove(fx.dir, { recursive: true });
});

Deno.test("DashboardRepo detail returns candles oldest first, open orders and the last trades", async () => {
  const fx = await createFixtureDb();
  putInstance(fx.db, { name: "x" }, NOW);
  putInstance(fx.db, { name: "other" }, NOW);
  putCandles(fx.db, 300, { endMs: NOW });
  putEquity(fx.db, "x", [[NOW - 2000, 100], [NOW - 1000, 120], [NOW, 110]]);
  for (let i = 0; i < 60; i++) {
    putTrade(fx.db, "x", {
      entryTimeMs: NOW - (100 - i) * 60_000,
      exitTimeMs: NOW - (99 - i) * 60_000,
      entryPrice: 100,
      exitPrice: 100 + i,
      amount: 1,
    });
  }
  putTrade(fx.db, "other", {
    entryTimeMs: NOW,
    exitTimeMs: NOW + 1,
    entryPrice: 1,
    exitPrice: 2,
    amount: 1,
  });
  putOrder(fx.db, "x", {
    clientOrderId: "x-1",
    side: "sell",
    status: "open",
    price: 70_000,
    nowMs: NOW,
  });
  putOrder(fx.db, "x", {
    clientOrderId: "x-2",
    side: "buy",
    status: "filled",
    price: null,
    nowMs: NOW,
  });
  putOrder(fx.db, "other", {
    clientOrderId: "o-1",
    side: "sell",
    status: "open",
    price: 1,
    nowMs: NOW,
  });
  const repo = new DashboardRepo(openDatabase(fx.url, { readOnly: true }));
  const instance = repo.snapshot(NOW).instances.find((i) => i.name === "x")!;
  const detail = repo.detail(instance, { candles: 100 });
  assert.equal(detail.candles.length, 100);
  assert.ok(detail.candles[0].openTimeMs < detail.candles[99].openTimeMs);
  assert.deepEqual(detail.equity, [[NOW - 2000, 100], [NOW - 1000, 120], [NOW, 110]]);
  assert.equal(detail.peakEquityQuote, 120);
  assert.deepEqual(detail.openOrders.map((o) => o.clientOrderId), ["x-1"]);
  assert.equal(detail.trades.length, 50);
  assert.equal(detail.trades[0].exitPrice, 159);
  assert.equal(detail.trades[49].exitPrice, 110);
  fx.db.close();
  await Deno.remove(fx.dir, { recursive: true });
});

Deno.test("DashboardRepo reads while a writer holds its write transaction", async () => {
  const fx = await createFixtureDb();
  putInstance(fx.db, { name: "w" }, NOW);
  const reader = openDatabase(fx.url, { readOnly: true });
  fx.db.exec("BEGIN IMMEDIATE");
  putInstance(fx.db, { name: "uncommitted" }, NOW);
  const snapshot = new DashboardRepo(reader).snapshot(NOW);
  assert.deepEqual(snapshot.instances.map((i) => i.name), ["w"]);
  fx.db.exec("COMMIT");
  assert.equal(new DashboardRepo(reader).snapshot(NOW).instances.length, 2);
  reader.close();
  fx.db.close();
  await Deno.remove(fx.dir, { recursive: true });
});

Deno.test("DashboardRepo never writes: the read-only file is unchanged after reads", async () => {
  const fx = await createFixtureDb();
  putInstance(fx.db, { name: "r" }, NOW);
  // The file's bytes are SQLite's to compare; on PostgreSQL the refused DELETE is the proof.
  const sqlite = testBackend() === "sqlite";
  if (sqlite) fx.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  fx.db.close();
  const before = sqlite ? await Deno.readFile(fx.path) : null;
  const reader = openDatabase(fx.url, { readOnly: true });
  const repo = new DashboardRepo(reader);
  repo.snapshot(NOW);
  assert.throws(() => reader.exec("DELETE FROM instances"), /readonly|read-only/i);
  assert.equal(repo.snapshot(NOW).instances.length, 1);
  reader.close();
  if (sqlite) assert.deepEqual(await Deno.readFile(fx.path), before);
  await Deno.remove(fx.dir, { recursive: true });
});

Deno.test("DashboardRepo schemaVersion is 0 on an empty file", async () => {
  const dir = await Deno.makeTempDir();
  const db = new DatabaseSync(`${dir}/empty.db`);
  assert.equal(new DashboardRepo(db).schemaVersion(), 0);
  assert.throws(
    () => new DashboardRepo(db).snapshot(NOW),
    /Cannot read dashboard data: .*no such table/,
  );
  db.close();
  await Deno.remove(dir, { recursive: true });
});
