/**
 * The emulator's depth, exchange-side expiry and manual orders, through real CCXT: a market order
 * walks the levels and its rest expires, a resting limit fills one level per crossing candle
 * (`PARTIALLY_FILLED`, then `FILLED`), a triggered stop walks down and expires, and the exchange
 * can cancel or expire an order or take one placed by a person on the web.
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "./binance_emulator.ts";
import { EmulatorControlClient } from "./emulator_control.ts";
import { emulatorClient } from "./exchange_harness.ts";

const MINUTE = 60_000;
const START = Date.UTC(2024, 7, 1);

/** An emulator over 1m BTCUSDT candles flat at 60 000 (low 59 990, high 60 010). */
async function flatMarket(balances: Record<string, number> = { USDT: 10_000, BTC: 1 }) {
  const dir = await Deno.makeTempDir({ prefix: "emulator_depth_" });
  const lines = ["timestamp,open,high,low,close,volume"];
  for (let m = 0; m < 120; m++) lines.push(`${START + m * MINUTE},60000,60010,59990,60000,1`);
  await Deno.writeTextFile(`${dir}/binance_BTC-USDT_1m.csv`, lines.join("\n") + "\n");
  const emulator = new BinanceEmulator({
    startMs: START + 10 * MINUTE + 30_000,
    dataDir: new URL(`file://${dir}/`),
    balances,
  });
  const ccxt = emulatorClient(emulator, { keys: true }).ccxt;
  await ccxt.loadMarkets();
  return {
    emulator,
    ccxt,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const DEPTH = { levelBaseAmount: 0.001, levels: 3, tickPct: 0.01 };

Deno.test("BinanceEmulator market order walks the depth levels and its unfilled rest expires", async () => {
  await using m = await flatMarket();
  m.emulator.setDepth("BTCUSDT", DEPTH);
  const order = await m.ccxt.createOrder("BTC/USDT", "market", "buy", 0.005);
  assert.equal(order.status, "expired");
  assert.equal(order.filled, 0.003);
  const trades = m.emulator.trades();
  assert.deepEqual(trades.map((t) => [t.qty, t.price]), [
    [0.001, 60000],
    [0.001, 60006],
    [0.001, 60012],
  ]);
  const [view] = m.emulator.orders();
  assert.deepEqual([view.status, view.executedQty], ["EXPIRED", 0.003]);
  const usdt = m.emulator.balances().USDT;
  assert.equal(usdt.locked, 0);
  assert.ok(Math.abs(usdt.free - (10_000 - 0.001 * (60000 + 60006 + 60012))) < 1e-9);
  assert.ok(Math.abs(m.emulator.balances().BTC.free - (1 + 0.003 * 0.999)) < 1e-12);
});

Deno.test("BinanceEmulator resting limit under depth is PARTIALLY_FILLED, one level per crossing candle", async () => {
  await using m = await flatMarket();
  m.emulator.setDepth("BTCUSDT", DEPTH);
  await m.ccxt.createOrder("BTC/USDT", "limit", "buy", 0.0025, 59998, { clientOrderId: "lim" });
  m.emulator.setTime(START + 11 * MINUTE + 30_000); // the next candle reaches 59 995
  const partly = await m.ccxt.fetchOrder(undefined as unknown as string, "BTC/USDT", {
    clientOrderId: "lim",
  });
  assert.deepEqual([partly.status, partly.filled], ["open", 0.001]);
  assert.equal(m.emulator.orders()[0].status, "PARTIALLY_FILLED");
  assert.equal(m.emulator.trades().length, 1, "one candle, one level");
  assert.ok(Math.abs(m.emulator.balances().USDT.locked - 0.0015 * 59998) < 1e-9);
  m.emulator.setTime(START + 14 * MINUTE);
  const [done] = m.emulator.orders();
  assert.deepEqual([done.status, done.executedQty], ["FILLED", 0.0025]);
  assert.deepEqual(m.emulator.trades().map((t) => [t.qty, t.price, t.orderId]), [
    [0.001, 59998, done.orderId],
    [0.001, 59998, done.orderId],
    [0.0005, 59998, done.orderId],
  ]);
  assert.equal(m.emulator.balances().USDT.locked, 0);
  const mine = await m.ccxt.fetchMyTrades("BTC/USDT");
  assert.equal(mine.length, 3);
});

Deno.test("BinanceEmulator triggered stop-loss walks the depth down and expires the rest", async () => {
  await using m = await flatMarket();
  await m.ccxt.createOrder("BTC/USDT", "market", "sell", 0.005, undefined, {
    clientOrderId: "stop",
    triggerPrice: 59000,
  });
  assert.equal(m.emulator.orders()[0].type, "STOP_LOSS");
  m.emulator.setDepth("BTCUSDT", { ...DEPTH, levels: 2 });
  m.emulator.patchCandle("BTCUSDT", "1m", START + 12 * MINUTE, { low: 58000 });
  m.emulator.setTime(START + 13 * MINUTE);
  const stop = await m.ccxt.fetchOrder(undefined as unknown as string, "BTC/USDT", {
    clientOrderId: "stop",
  });
  assert.deepEqual([stop.status, stop.filled], ["expired", 0.002]);
  assert.deepEqual(m.emulator.trades().map((t) => [t.qty, t.price, t.timeMs]), [
    [0.001, 59000, START + 12 * MINUTE],
    [0.001, 58994.1, START + 12 * MINUTE],
  ]);
  assert.deepEqual(m.emulator.balances().BTC, { free: 1 - 0.002, locked: 0 });
});

Deno.test("BinanceEmulator expires or cancels an order on its own, and takes manual orders", async () => {
  await using m = await flatMarket();
  const control = new EmulatorControlClient(m.emulator.url);
  const web = await control.placeOrder({
    symbol: "BTCUSDT",
    side: "BUY",
    type: "LIMIT",
    quantity: 0.01,
    price: 50000,
    clientOrderId: "web_5f1c2a",
  });
  const app = await control.placeOrder({
    symbol: "BTCUSDT",
    side: "SELL",
    type: "STOP_LOSS",
    quantity: 0.01,
    stopPrice: 55000,
  });
  assert.match(app.clientOrderId, /^emu[0-9a-f]{19}$/);
  const open = await m.ccxt.fetchOpenOrders("BTC/USDT");
  assert.deepEqual(open.map((o) => o.clientOrderId), ["web_5f1c2a", app.clientOrderId]);
  assert.deepEqual(m.emulator.balances().USDT, { free: 10_000 - 500, locked: 500 });
  const expired = await control.expireOrder("web_5f1c2a");
  assert.deepEqual([expired.status, expired.orderId], ["EXPIRED", web.orderId]);
  const canceled = m.emulator.expireOrder(app.clientOrderId, "CANCELED");
  assert.equal(canceled.status, "CANCELED");
  assert.deepEqual(m.emulator.balances().USDT, { free: 10_000, locked: 0 });
  assert.deepEqual(m.emulator.balances().BTC, { free: 1, locked: 0 });
  const byId = async (clientOrderId: string) =>
    (await m.ccxt.fetchOrder(undefined as unknown as string, "BTC/USDT", { clientOrderId }))
      .status;
  assert.equal(await byId("web_5f1c2a"), "expired");
  assert.equal(await byId(app.clientOrderId), "canceled");
  assert.throws(() => m.emulator.expireOrder("web_5f1c2a"), /Unknown order sent/);
  // Another account's orders are out of reach.
  m.emulator.addAccount("other", "other-secret", { USDT: 100 });
  assert.throws(() => m.emulator.expireOrder("web_5f1c2a", "EXPIRED", "other"));
});
