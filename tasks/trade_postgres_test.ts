/**
 * Three live `trade` processes, each in its own working folder (no shared `data/`, as on three
 * hosts), on one PostgreSQL database, against the loopback Binance emulator on the wall clock:
 * orders, fills, heartbeats and the shared request budget behave as on one host, with no order
 * sent twice.
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import {
  killTrader,
  spawnTraderIn,
  type TraderProcess,
  waitFor,
  withStore,
  writeConfig,
} from "../tests/support/trader_process.ts";
import { freshSchema, LOCAL_POSTGRES_URL } from "../tests/support/test_database.ts";
import { LIVE_CONFIG_BODY, zigzagCsv } from "../tools/soak/mod.ts";

Deno.test("trade on PostgreSQL: three hosts' traders share one database with orders, fills, heartbeats and one request budget, 0 duplicates", async () => {
  const dir = await Deno.makeTempDir({ prefix: "trade_pg_test_" });
  await Deno.mkdir(`${dir}/candles`);
  await Deno.writeTextFile(`${dir}/candles/binance_BTC-USDT_1m.csv`, zigzagCsv(Date.now()));
  const emulator = new BinanceEmulator({
    startMs: Date.now(),
    speed: 1,
    dataDir: new URL(`file://${dir}/candles/`),
    commissionIn: "quote",
  });
  using schema = freshSchema(Deno.env.get("TEST_DATABASE_URL") ?? LOCAL_POSTGRES_URL);
  const url = schema.url;
  const names = ["host-a", "host-b", "host-c"];
  const traders: TraderProcess[] = [];
  try {
    for (const name of names) {
      const home = `${dir}/${name}`;
      await Deno.mkdir(home);
      const [key, secret] = [`KEY-${name}`, `SECRET-${name}`];
      emulator.addAccount(key, secret, { USDT: 10_000 });
      const config = await writeConfig(home, name, LIVE_CONFIG_BODY);
      traders.push(spawnTraderIn(home, config, {
        DATABASE_URL: url,
        LOG_DIR: `${home}/logs`,
        BINANCE_API_URL: emulator.url,
        BINANCE_API_KEY: key,
        BINANCE_API_SECRET: secret,
      }));
    }
    for (const name of names) {
      await waitFor(`${name} filled two orders`, () =>
        withStore(url, (store) => {
          const orders = store.orders.recent(name, 100);
          return orders.filter((order) => order.status === "filled").length >= 2 &&
            store.instances.get(name)?.status === "running";
        }), 300_000);
    }
    const nowMs = Date.now();
    withStore(url, (store) => {
      for (const name of names) {
        const row = store.instances.get(name)!;
        assert.ok(
          nowMs - row.heartbeatMs < 10_000,
          `${name}: heartbeat ${nowMs - row.heartbeatMs} ms old`,
        );
        assert.equal(store.leases.get(name)?.pid, traders[names.indexOf(name)].child.pid);
      }
      // One bucket for the exchange, written by every process.
      assert.ok(
        store.rateBudget.level("binance") !== null,
        "the shared request budget is in the DB",
      );
    });
    for (const trader of traders) trader.child.kill("SIGTERM");
    for (const [i, trader] of traders.entries()) {
      assert.equal((await trader.status).code, 0, `${names[i]}: ${await trader.stderr}`);
    }
    const atExchange = emulator.orders();
    for (const name of names) {
      const rows = withStore(url, (store) => store.orders.recent(name, 1000));
      const fills = withStore(url, (store) => store.fills.byInstance(name));
      const mine = atExchange.filter((order) => order.clientOrderId.startsWith(`${name}-`));
      const ids = mine.map((order) => order.clientOrderId);
      assert.equal(new Set(ids).size, ids.length, `${name}: an intent reached the exchange twice`);
      assert.equal(mine.length, rows.length, `${name}: every row sent once, every order stored`);
      for (const order of mine) {
        const row = rows.find((r) => r.clientOrderId === order.clientOrderId);
        assert.ok(row, `${name}: exchange order ${order.clientOrderId} unknown to the DB`);
        assert.equal(row.filledBaseAmount, order.executedQty);
        const filled = fills.filter((fill) => fill.clientOrderId === order.clientOrderId)
          .reduce((sum, fill) => sum + fill.baseAmount, 0);
        assert.ok(Math.abs(filled - order.executedQty) < 1e-12, `${name}: fills add up`);
      }
    }
    // The budget was shared: every trader's requests went through the one bucket.
    const requests = emulator.requests().filter((r) => r.hasApiKey);
    assert.ok(requests.length > names.length * 2);
  } finally {
    for (const trader of traders) await killTrader(trader);
    await emulator.close();
    await Deno.remove(dir, { recursive: true });
  }
});
