/**
 * Two "hosts" on one PostgreSQL database, each in a working folder of its own (no shared `data/`):
 * host A backfills the market and runs a live trader, host B runs another live trader and the
 * dashboard, all against the loopback Binance emulator. Host B's dashboard shows both traders, the
 * candles host A stored are there for both, and no order reaches the exchange twice.
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

const ROOT = new URL("../", import.meta.url).pathname;
const MINUTE_MS = 60_000;

/** Runs a task of this repository's deno.json in `cwd`, as a user on that host would. */
async function runTask(cwd: string, task: string, args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--config", `${ROOT}deno.json`, task, ...args],
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

Deno.test("two hosts share one PostgreSQL: host A's backfill and trader, host B's trader and dashboard", async () => {
  const dir = await Deno.makeTempDir({ prefix: "two_hosts_pg_test_" });
  await Deno.mkdir(`${dir}/candles`);
  const nowMs = Date.now();
  await Deno.writeTextFile(`${dir}/candles/binance_BTC-USDT_1m.csv`, zigzagCsv(nowMs));
  const emulator = new BinanceEmulator({
    startMs: nowMs,
    speed: 1,
    dataDir: new URL(`file://${dir}/candles/`),
    commissionIn: "quote",
  });
  using schema = freshSchema(Deno.env.get("TEST_DATABASE_URL") ?? LOCAL_POSTGRES_URL);
  const url = schema.url;
  const hosts = { a: `${dir}/host-a`, b: `${dir}/host-b` };
  const names = ["host-a-btc", "host-b-btc"];
  const traders: TraderProcess[] = [];
  try {
    await Deno.mkdir(hosts.a);
    await Deno.mkdir(hosts.b);
    // Host A: the backfill of the last three hours, into the shared database.
    const since = new Date(Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - 180 * MINUTE_MS);
    const backfill = await runTask(hosts.a, "backfill", [
      "--exchange",
      "binance",
      "--symbol",
      "BTC/USDT",
      "--timeframe",
      "1m",
      "--since",
      since.toISOString(),
    ], { DATABASE_URL: url, BINANCE_API_URL: emulator.url });
    assert.equal(backfill.code, 0, backfill.stderr);
    const stored = withStore(
      url,
      (store) =>
        store.candles.listMarkets().find((market) =>
          market.exchange === "binance" && market.symbol === "BTC/USDT" && market.timeframe === "1m"
        ),
    );
    assert.ok(stored, "host A's candles are in the shared database");
    assert.ok(stored.count >= 170, `${stored.count} candles stored`);

    // One live trader on each host.
    for (const [i, name] of names.entries()) {
      const home = i === 0 ? hosts.a : hosts.b;
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
      await waitFor(
        `${name} filled two orders`,
        () =>
          withStore(
            url,
            (store) =>
              store.orders.recent(name, 100).filter((order) => order.status === "filled").length >=
                2 &&
              store.instances.get(name)?.status === "running",
          ),
        300_000,
      );
    }

    // Host B's dashboard sees both hosts' traders, read from the shared database.
    const dashboard = await runTask(hosts.b, "dashboard", ["--once", "--width", "160"], {
      DATABASE_URL: url,
    });
    assert.equal(dashboard.code, 0, dashboard.stderr);
    for (const name of names) {
      assert.match(dashboard.stdout, new RegExp(`${name} +LIVE +running`), dashboard.stdout);
    }

    for (const trader of traders) trader.child.kill("SIGTERM");
    for (const [i, trader] of traders.entries()) {
      assert.equal((await trader.status).code, 0, `${names[i]}: ${await trader.stderr}`);
    }
    const atExchange = emulator.orders();
    for (const name of names) {
      const rows = withStore(url, (store) => store.orders.recent(name, 1000));
      const mine = atExchange.filter((order) => order.clientOrderId.startsWith(`${name}-`));
      const ids = mine.map((order) => order.clientOrderId);
      assert.equal(new Set(ids).size, ids.length, `${name}: an intent reached the exchange twice`);
      assert.equal(mine.length, rows.length, `${name}: every row sent once, every order stored`);
    }
  } finally {
    for (const trader of traders) await killTrader(trader);
    await emulator.close();
    await Deno.remove(dir, { recursive: true });
  }
});
