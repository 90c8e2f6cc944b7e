/**
 * `deno task ctl` against a live trader process on the Binance loopback emulator (wall clock, 1m
 * candles): pause is acknowledged within a heartbeat and holds entries; exit sells the position
 * with one order, and a kill -9 in the middle of it (after the sell, before the acknowledgement)
 * sends no second sell after the restart.
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import { dataTempDir, runCtl } from "../tests/support/ctl_process.ts";
import { spawnTrader, waitFor, withStore, writeConfig } from "../tests/support/trader_process.ts";
import { LIVE_CONFIG_BODY, zigzagCsv } from "../tools/soak/mod.ts";
import { parseTraderState } from "../src/trader/trader_state.ts";

const NAME = "ctl-live";
const KEY = "CTL-LIVE-KEY";
const SECRET = "CTL-LIVE-SECRET";

Deno.test("ctl on a live trader: pause within a heartbeat, exit sells once despite a kill -9 in the middle", async () => {
  const dir = await dataTempDir("ctl_live_test_");
  await Deno.mkdir(`${dir}/data`);
  await Deno.writeTextFile(`${dir}/data/binance_BTC-USDT_1m.csv`, zigzagCsv(Date.now()));
  await using emulator = new BinanceEmulator({
    startMs: Date.now(),
    speed: 1,
    dataDir: new URL(`file://${dir}/data/`),
    commissionIn: "quote",
  });
  emulator.addAccount(KEY, SECRET, { USDT: 10_000 });
  const url = `sqlite:${dir}/trading.db`;
  const env = {
    DATABASE_URL: url,
    LOG_DIR: `${dir}/logs`,
    BINANCE_API_URL: emulator.url,
    BINANCE_API_KEY: KEY,
    BINANCE_API_SECRET: SECRET,
  };
  const config = await writeConfig(dir, NAME, LIVE_CONFIG_BODY);
  const position = () =>
    withStore(url, (s) => parseTraderState(s.instances.get(NAME)?.state, "live")?.kernel.position);
  // Armed for the whole first run: only closing the position (ctl exit) reaches it.
  let trader = spawnTrader(config, { ...env, TRADER_FAILPOINT: "close.end" });
  try {
    await waitFor("a live position", () => position() ?? null, 240_000);

    const asked = Date.now();
    const paused = await runCtl([NAME, "pause"], { DATABASE_URL: url });
    assert.equal(paused.code, 0, paused.stderr);
    assert.ok(Date.now() - asked < 5_000, "pause not acknowledged within a heartbeat");
    assert.equal(withStore(url, (s) => s.instances.get(NAME)?.status), "paused");

    const exit = await runCtl([NAME, "exit", "--wait", "0"], { DATABASE_URL: url });
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal((await trader.status).signal, "SIGKILL", "close.end was not reached");
    const pending = withStore(url, (s) => s.commands.pending(NAME));
    assert.deepEqual(pending.map((c) => c.action), ["exit"], "exit acknowledged before the kill");

    trader = spawnTrader(config, env);
    const acked = await waitFor(
      "exit acknowledged",
      () => withStore(url, (s) => s.commands.get(pending[0].id))?.outcome ?? null,
      60_000,
    );
    assert.equal(acked, "no position to close");
    assert.equal(position(), null);
    const sells = emulator.orders().filter((o) => o.side === "SELL" || o.side === "sell");
    assert.equal(sells.length, 1, JSON.stringify(sells));
    assert.equal(sells[0].status, "FILLED");
    const ends = withStore(
      url,
      (s) => s.orders.recent(NAME, 100).filter((o) => o.intent === "end"),
    );
    assert.deepEqual(ends.map((o) => [o.clientOrderId, o.status]), [[
      sells[0].clientOrderId,
      "filled",
    ]]);
    // The pause outlived the restart.
    assert.equal(withStore(url, (s) => s.instances.get(NAME)?.status), "paused");

    const stopped = await runCtl([NAME, "stop"], { DATABASE_URL: url });
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal((await trader.status).code, 0);
  } finally {
    try {
      trader.child.kill("SIGKILL");
    } catch { /* exited */ }
    await trader.status;
  }
  await Deno.remove(dir, { recursive: true });
});
