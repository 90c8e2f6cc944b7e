/**
 * PostgreSQL stopped for 30 s in the middle of a live run (a private cluster; the shared one on
 * 5432 is never stopped), against the loopback Binance emulator on the wall clock: the `trade`
 * process does not exit, holds the candle that closes during the outage, reconnects, tells the
 * story in the instance row's last error, and trades on. Every order at the exchange has exactly
 * one row and every row reached the exchange once.
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
import { PRIVATE_POSTGRES_MISSING, PrivatePostgres } from "../tests/support/private_postgres.ts";
import { LIVE_CONFIG_BODY, zigzagCsv } from "../tools/soak/mod.ts";

const MINUTE_MS = 60_000;
const OUTAGE_MS = 30_000;

Deno.test({
  name: "trade on PostgreSQL stopped for 30 s mid-run: the trader waits, reconnects, tells the " +
    "story in last_error and trades on, with no order lost or sent twice",
  ignore: PRIVATE_POSTGRES_MISSING !== null,
  async fn() {
    await using cluster = await PrivatePostgres.create();
    const dir = await Deno.makeTempDir({ prefix: "trade_db_outage_" });
    await Deno.mkdir(`${dir}/candles`);
    // The first entry at the first close the trader surely sees (it starts in a few seconds);
    // sma_cross 2/3 on the zigzag then exits at the next close and enters at the one after.
    const entryAtMs = Math.ceil((Date.now() + 20_000) / MINUTE_MS) * MINUTE_MS;
    await Deno.writeTextFile(
      `${dir}/candles/binance_BTC-USDT_1m.csv`,
      zigzagCsv(Date.now(), 2, { entryAtMs }),
    );
    const emulator = new BinanceEmulator({
      startMs: Date.now(),
      speed: 1,
      dataDir: new URL(`file://${dir}/candles/`),
      commissionIn: "quote",
    });
    const url = `${cluster.url}?schema=outage`;
    const name = "outage-btc";
    emulator.addAccount("KEY-outage", "SECRET-outage", { USDT: 10_000 });
    const config = await writeConfig(dir, name, LIVE_CONFIG_BODY);
    const trader: TraderProcess = spawnTraderIn(dir, config, {
      DATABASE_URL: url,
      LOG_DIR: `${dir}/logs`,
      BINANCE_API_URL: emulator.url,
      BINANCE_API_KEY: "KEY-outage",
      BINANCE_API_SECRET: "SECRET-outage",
    });
    let exited = false;
    trader.status.then(() => exited = true);
    const alive = async () => {
      if (exited) throw new Error(`the trader exited: ${await trader.stderr}`);
    };
    const rows = () => withStore(url, (store) => store.orders.recent(name, 1000));
    const spawnedMs = Date.now();
    try {
      await waitFor("a filled order while running", async () => {
        await alive();
        return withStore(url, (store) =>
          store.instances.get(name)?.status === "running" &&
          store.orders.recent(name, 100).some((order) => order.status === "filled"));
      }, 200_000);
      const before = rows();
      const firstOrderMs = Date.now();

      // The outage covers the next candle close (close_delay_ms: 300): from 29 s before it to
      // about a second after.
      let nextCloseMs = Math.ceil(Date.now() / MINUTE_MS) * MINUTE_MS;
      // Too near (a slow poll): the trader might not have seen the server go before that close.
      if (nextCloseMs - Date.now() < OUTAGE_MS - 1_000 + 3_000) nextCloseMs += MINUTE_MS;
      const startMs = nextCloseMs - OUTAGE_MS + 1_000;
      await new Promise((resolve) => setTimeout(resolve, startMs - Date.now()));
      await cluster.stop();
      const downMs = Date.now();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - downMs)));
      await alive();
      await cluster.start();
      const upMs = Date.now();

      // Back: the instance row tells the story while the trader is running.
      const told = await waitFor("the outage story in last_error", async () => {
        await alive();
        return withStore(url, (store) => {
          const row = store.instances.get(name);
          return row?.status === "running" && /Database unreachable for/.test(row.lastError ?? "")
            ? row
            : null;
        });
      }, 60_000);
      const toldMs = Date.now();
      // Orders go on after the outage: the held candle's order, sent after the reconnection.
      const after = await waitFor("an order sent after the outage", async () => {
        await alive();
        const now = rows();
        return now.some((order) => order.createdMs > upMs) ? now : null;
      }, 90_000);
      const afterMs = Date.now();
      withStore(url, (store) => assert.equal(store.instances.get(name)?.status, "running"));

      trader.child.kill("SIGTERM");
      const status = await trader.status;
      const stderr = await trader.stderr;
      assert.equal(status.code, 0, stderr);
      assert.match(stderr, /Database unreachable; no order is sent until it is back/);
      assert.match(stderr, /Database back after/);
      assert.match(stderr, /closed while the database is unreachable; held until it is back/);
      assert.match(stderr, /held while the database was away/);

      // No order lost, none sent twice: the exchange's orders and the rows match by client id.
      const stored = rows();
      const atExchange = emulator.orders().filter((o) => o.clientOrderId.startsWith(`${name}-`));
      const ids = atExchange.map((order) => order.clientOrderId);
      assert.equal(new Set(ids).size, ids.length, "an order reached the exchange twice");
      assert.deepEqual(
        [...ids].sort(),
        stored.map((row) => row.clientOrderId).sort(),
        "every row reached the exchange once, every exchange order has its row",
      );
      for (const order of atExchange) {
        const row = stored.find((r) => r.clientOrderId === order.clientOrderId)!;
        assert.equal(row.filledBaseAmount, order.executedQty, order.clientOrderId);
      }
      const backLine = stderr.split("\n").find((line) => /Database back after/.test(line));
      // deno-lint-ignore no-console
      console.log(
        `outage timeline: first filled order ${((firstOrderMs - spawnedMs) / 1000).toFixed(1)} s ` +
          `after the spawn; server down at +${((downMs - spawnedMs) / 1000).toFixed(1)} s for ` +
          `${((upMs - downMs) / 1000).toFixed(1)} s; story in the ` +
          `row ${((toldMs - upMs) / 1000).toFixed(1)} s after the restart (polled); ` +
          `orders ${before.length} before, ${after.length - before.length} more by the first ` +
          `after (${((afterMs - upMs) / 1000).toFixed(1)} s after the restart), ` +
          `${stored.length} at the end (${atExchange.length} at the exchange); ` +
          `last_error: ${told.lastError}; log: ${backLine?.trim()}\n` +
          stderr.split("\n").filter((line) => /Database|held|Lease not renewed/.test(line))
            .join("\n"),
      );
    } finally {
      await killTrader(trader);
      await emulator.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
