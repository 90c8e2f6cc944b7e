/**
 * Notifications of a real paper trader process on the emulator's market clock: a fill's event
 * written just before a kill -9 is delivered once after the restart, and a channel that never
 * answers does not hold the trader back.
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import { NotifyReceiver } from "../tests/support/notify_receiver.ts";
import { spawnTrader, waitFor, withStore, writeConfig } from "../tests/support/trader_process.ts";
import { nextCandle, PAPER_SMA_CONFIG, waitStatus } from "../tests/support/paper_trader.ts";

const NAME = "notify-test";
const PAPER = PAPER_SMA_CONFIG;

function fillIds(receiver: NotifyReceiver): string[] {
  return receiver.received
    .filter((r) => r.json.event === "order_filled")
    .map((r) => String(r.json.id));
}

Deno.test("trade task: a fill's notification queued before a kill -9 is delivered once after the restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "trade_notify_test_" });
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  // The first run's channel never answers, so the fill is written and not yet delivered.
  await using dead = new NotifyReceiver({ hang: true });
  await using receiver = new NotifyReceiver();
  const url = `sqlite:${dir}/trading.db`;
  const env = { DATABASE_URL: url, LOG_DIR: `${dir}/logs`, BINANCE_API_URL: emulator.url };
  const config = await writeConfig(dir, NAME, PAPER);
  const clock = ["--test-clock", `emulator:${emulator.url}`];
  let trader = spawnTrader(config, { ...env, NOTIFY_WEBHOOK_URL: `${dead.url}/hook` }, clock);
  await waitStatus(trader, { url, name: NAME }, "running");
  const queuedFill = () =>
    withStore(url, (s) => s.outbox.pending(NAME).find((row) => row.event === "order_filled"));
  for (let i = 0; i < 48 && !queuedFill(); i++) {
    await nextCandle(emulator, trader, { url, name: NAME });
  }
  const fill = queuedFill();
  assert.ok(fill, "no fill queued within 48 candles");
  trader.child.kill("SIGKILL");
  assert.equal((await trader.status).signal, "SIGKILL");
  assert.deepEqual(fillIds(receiver), []);

  trader = spawnTrader(config, { ...env, NOTIFY_WEBHOOK_URL: `${receiver.url}/hook` }, clock);
  await waitStatus(trader, { url, name: NAME }, "running");
  await waitFor("fill delivered", () => fillIds(receiver).includes(fill.id));
  trader.child.kill("SIGTERM");
  assert.equal((await trader.status).code, 0, await trader.stderr);
  assert.deepEqual(fillIds(receiver), [fill.id], "delivered more than once");
  const ids = receiver.received.map((r) => r.json.id);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.join(", ")}`);
  const events = receiver.received.map((r) => r.json.event);
  assert.ok(events.includes("started") && events.includes("stopped"), events.join(", "));
  assert.equal(withStore(url, (s) => s.outbox.size(NAME)), 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("trade task keeps handling candles while the notification channel never answers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "trade_notify_test_" });
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  await using receiver = new NotifyReceiver({ hang: true });
  const url = `sqlite:${dir}/trading.db`;
  const env = {
    DATABASE_URL: url,
    LOG_DIR: `${dir}/logs`,
    BINANCE_API_URL: emulator.url,
    NOTIFY_WEBHOOK_URL: `${receiver.url}/hook`,
  };
  const config = await writeConfig(dir, NAME, PAPER);
  const trader = spawnTrader(config, env, ["--test-clock", `emulator:${emulator.url}`]);
  await waitStatus(trader, { url, name: NAME }, "running");
  for (let i = 0; i < 12; i++) {
    if (!await nextCandle(emulator, trader, { url, name: NAME })) assert.fail(await trader.stderr);
  }
  const trades = withStore(url, (s) => s.orders.recent(NAME, 1000).length);
  assert.ok(trades > 0, "no orders in 12 candles");
  const pending = withStore(url, (s) => s.outbox.pending(NAME));
  assert.ok(pending.some((row) => row.event === "order_filled"), "fills not queued");
  trader.child.kill("SIGTERM");
  // The stop is not held up by the dead channel beyond its short flush.
  assert.equal((await trader.status).code, 0, await trader.stderr);
  assert.ok(receiver.attempts >= 1);
  await Deno.remove(dir, { recursive: true });
});
