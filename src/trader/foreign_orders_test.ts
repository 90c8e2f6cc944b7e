/**
 * Orders on the trader's account and symbol that it did not make (a person's order on the web,
 * one without a client id, one whose client id only looks like ours), against the emulator: the
 * instance pauses new entries with the order named, exits still run, and the order is never
 * written to the DB nor cancelled. A trade whose order the exchange cannot find pauses it too.
 */
import assert from "node:assert/strict";
import type { OrderIntent } from "../core/types.ts";
import { LIVE_TRADER_NAME, liveTrader } from "../../tests/support/live_trader.ts";

const ENTER: OrderIntent = { kind: "enter", reason: "script" };
const EXIT: OrderIntent = { kind: "exit", reason: "script" };
const NAME = LIVE_TRADER_NAME;

Deno.test("live trader pauses for a person's order on its symbol, exits still run, the order is left alone", async () => {
  await using t = await liveTrader({ 0: [ENTER], 2: [EXIT], 3: [ENTER] });
  await t.step(0);
  await t.watchAccount();
  assert.deepEqual(t.trader.tradingState, { kind: "active", reason: null }, "our own orders");
  const manual = t.emulator.placeOrder({
    symbol: "BTCUSDT",
    side: "BUY",
    type: "LIMIT",
    quantity: 0.001,
    price: 30_000,
    clientOrderId: "web_8c1f0e2d",
  });
  await t.step(1);
  await t.watchAccount();
  const { kind, reason } = t.trader.tradingState;
  assert.equal(kind, "reducing");
  assert.match(
    reason ?? "",
    new RegExp(
      `^an order on BTC/USDT not made by this instance: web_8c1f0e2d \\(exchange id ${manual.orderId}\\) ` +
        "buy 0.001 limit at 30000, open; left alone, new entries paused$",
    ),
  );
  t.trader.heartbeat();
  const row = t.store.instances.get(NAME)!;
  assert.equal(row.status, "paused");
  assert.equal(row.lastError, reason);
  t.trader.clearError(); // as the loop does after a good candle: the order stays named
  t.trader.heartbeat();
  assert.equal(t.store.instances.get(NAME)!.lastError, reason);
  await t.step(2);
  await t.step(3);
  await t.watchAccount();
  assert.equal(t.trader.kernel.position, null, "the exit went out");
  const rows = t.store.orders.recent(NAME, 100);
  const entries = rows.filter((o) => o.intent === "enter");
  assert.deepEqual(entries.map((o) => o.status), ["rejected", "filled"]);
  assert.match(entries[0].error ?? "", /^entries paused: an order on BTC\/USDT not made/);
  assert.equal(t.store.orders.findByClientId("web_8c1f0e2d"), null, "never adopted");
  const atExchange = t.emulator.orders().find((o) => o.clientOrderId === "web_8c1f0e2d");
  assert.equal(atExchange?.status, "NEW", "never cancelled");
  assert.equal(await t.reconcile(), 0);
  assert.equal(t.trader.tradingState.kind, "reducing", "a clean reconciliation keeps the pause");
});

Deno.test("live trader reconciliation finds foreign orders in the trades and behind a client id with our prefix", async () => {
  await using t = await liveTrader({});
  t.emulator.setDepth("BTCUSDT", { levelBaseAmount: 0.001, levels: 2 });
  // A market order without a client id fills in two trades and is gone from the open orders.
  const market = t.emulator.placeOrder({
    symbol: "BTCUSDT",
    side: "BUY",
    type: "MARKET",
    quantity: 0.002,
  });
  assert.equal(market.status, "FILLED");
  const price = t.emulator.book.priceAt("BTCUSDT", t.emulator.clock.nowMs());
  // A limit that crosses: one level now, PARTIALLY_FILLED; its client id looks like ours.
  const lookalike = t.emulator.placeOrder({
    symbol: "BTCUSDT",
    side: "SELL",
    type: "LIMIT",
    quantity: 0.0015,
    price: Math.floor(price) - 1,
    clientOrderId: `${NAME}-lzaieio0-e9`,
  });
  assert.equal(lookalike.status, "PARTIALLY_FILLED");
  assert.equal(await t.reconcile(), 0);
  const reason = t.trader.tradingState.reason ?? "";
  assert.equal(t.trader.tradingState.kind, "reducing");
  assert.match(reason, /^2 orders on BTC\/USDT not made by this instance: /);
  assert.match(reason, new RegExp(`${NAME}-lzaieio0-e9 \\(exchange id \\d+\\) sell 0.0015 limit`));
  assert.match(reason, /partially_filled, 0.001 filled/);
  assert.match(
    reason,
    new RegExp(`${market.clientOrderId} buy 0.002 traded \\(2 trades at [0-9.]+ on average\\)`),
  );
  assert.deepEqual(t.store.orders.recent(NAME, 10), []);
  assert.equal(
    t.emulator.orders().find((o) => o.orderId === lookalike.orderId)?.status,
    "PARTIALLY_FILLED",
  );
});

Deno.test("live trader pauses when a trade's order cannot be found, instead of stopping", async () => {
  await using t = await liveTrader({});
  const gone = t.emulator.placeOrder({
    symbol: "BTCUSDT",
    side: "BUY",
    type: "MARKET",
    quantity: 0.001,
  });
  // The exchange keeps the trade but no longer finds its order (as Binance archives old ones).
  const book = t.emulator.book.orders;
  book.splice(book.findIndex((o) => o.orderId === gone.orderId), 1);
  await t.watchAccount();
  const { kind, reason } = t.trader.tradingState;
  assert.equal(kind, "reducing");
  assert.match(
    reason ?? "",
    /^Cannot look for orders not made by this instance: .*Order does not exist/,
  );
});
