import assert from "node:assert/strict";
import { AuthenticationError, OrderRejectedError, TransientExchangeError } from "../core/errors.ts";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import {
  emulatorClient,
  type EmulatorClientOptions,
  followingClock,
} from "../../tests/support/exchange_harness.ts";
import { CcxtExecutionClient } from "./ccxt_execution_client.ts";
import { loadMarketCatalog } from "./market_catalog.ts";

async function setup(options: EmulatorClientOptions = { keys: true }) {
  const emulator = new BinanceEmulator({ balances: { USDT: 10_000 } });
  const client = emulatorClient(emulator, options);
  const clock = followingClock(emulator);
  const catalog = await loadMarketCatalog(client, { nowMs: clock.nowMs() });
  const execution = new CcxtExecutionClient(client, catalog, { clock });
  emulator.clearRequests();
  return { emulator, client, execution };
}

const BUY = {
  symbol: "BTC/USDT",
  side: "buy",
  type: "market",
  baseAmount: 0.01,
  price: null,
} as const;

Deno.test("CcxtExecutionClient market buy carries the client id, is signed and fills with the fee", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  const order = await execution.submit({ ...BUY, clientOrderId: "inst1-1722470400000-enter" });
  assert.equal(order.status, "filled");
  assert.equal(order.clientOrderId, "inst1-1722470400000-enter");
  assert.equal(order.filledBaseAmount, 0.01);
  const [stored] = emulator.orders();
  assert.equal(stored.clientOrderId, "inst1-1722470400000-enter");
  assert.ok(Math.abs(order.feeQuote - 0.01 * 0.001 * order.averagePrice!) < 1e-9);
  const posts = emulator.requests().filter((r) => r.method === "POST");
  assert.equal(posts.length, 1);
  assert.ok(posts[0].signed);
  assert.equal(posts[0].params.newClientOrderId, "inst1-1722470400000-enter");
});

Deno.test("CcxtExecutionClient rejects amounts below the minimum before sending anything", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  await assert.rejects(
    execution.submit({ ...BUY, clientOrderId: "tiny-1", baseAmount: 0.000001 }),
    (e) => e instanceof OrderRejectedError && /amount 0.000001 rounds to 0/.test(e.message),
  );
  await assert.rejects(
    execution.submit({
      ...BUY,
      clientOrderId: "tiny-2",
      type: "limit",
      baseAmount: 0.0001,
      price: 30_000,
    }),
    (e) =>
      e instanceof OrderRejectedError &&
      /notional 3 USDT is below the minimum 5 USDT/.test(e.message),
  );
  assert.equal(emulator.requests().filter((r) => r.path === "/api/v3/order").length, 0);
});

Deno.test("CcxtExecutionClient resolves a lost create response by client id without a second order", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  emulator.addFault({ kind: "lose_response", method: "POST", path: "/api/v3/order" });
  const order = await execution.submit({ ...BUY, clientOrderId: "lost-1" });
  assert.equal(order.status, "filled");
  assert.equal(emulator.orders().length, 1);
  const calls = emulator.requests().map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(calls.filter((c) => c.includes("/api/v3/order")), [
    "POST /api/v3/order",
    "GET /api/v3/order",
  ]);
});

Deno.test("CcxtExecutionClient resolves a timed-out create (hang) by lookup, not by resending", async () => {
  const { emulator, execution } = await setup({ keys: true, timeoutMs: 300 });
  await using _ = emulator;
  emulator.addFault({
    kind: "lose_response",
    method: "POST",
    path: "/api/v3/order",
    then: "hang",
    hangMs: 2_000,
  });
  const order = await execution.submit({ ...BUY, clientOrderId: "hang-1" });
  assert.equal(order.clientOrderId, "hang-1");
  assert.equal(emulator.orders().length, 1);
  assert.equal(emulator.requests().filter((r) => r.method === "POST").length, 1);
});

Deno.test("CcxtExecutionClient does not resend when the exchange never got the order", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  emulator.addFault({ kind: "drop", method: "POST", path: "/api/v3/order" });
  await assert.rejects(
    execution.submit({ ...BUY, clientOrderId: "gone-1" }),
    (e) => e instanceof TransientExchangeError && /not resent/.test(e.message),
  );
  assert.equal(emulator.orders().length, 0);
  assert.equal(emulator.requests().filter((r) => r.method === "POST").length, 1);
});

Deno.test("CcxtExecutionClient sends again after a 429, which Binance refuses before matching", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  emulator.addFault({
    kind: "rate_limit",
    method: "POST",
    path: "/api/v3/order",
    retryAfterSec: 0,
  });
  const order = await execution.submit({ ...BUY, clientOrderId: "rl-1" });
  assert.equal(order.status, "filled");
  assert.equal(emulator.orders().length, 1);
  assert.deepEqual(emulator.requests().filter((r) => r.method === "POST").map((r) => r.status), [
    429,
    200,
  ]);
});

Deno.test("CcxtExecutionClient returns the existing order when its client id is already open", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  const request = { ...BUY, clientOrderId: "limit-1", type: "limit", price: 40_000 } as const;
  const first = await execution.submit(request);
  const again = await execution.submit(request);
  assert.equal(first.status, "open");
  assert.equal(again.exchangeOrderId, first.exchangeOrderId);
  assert.equal(emulator.orders().length, 1);
});

Deno.test("CcxtExecutionClient insufficient balance is a final rejection, sent once", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  emulator.addFault({ kind: "insufficient_balance" });
  await assert.rejects(execution.submit({ ...BUY, clientOrderId: "poor-1" }), OrderRejectedError);
  await assert.rejects(
    execution.submit({ ...BUY, clientOrderId: "poor-2", baseAmount: 1 }),
    OrderRejectedError,
  );
  assert.equal(emulator.requests().filter((r) => r.method === "POST").length, 2);
  assert.equal(emulator.orders().length, 0);
});

Deno.test("CcxtExecutionClient cancel, fetch by client id, open orders, balances and fills", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  await execution.submit({ ...BUY, clientOrderId: "buy-1" });
  await execution.submit({
    ...BUY,
    clientOrderId: "sell-1",
    side: "sell",
    type: "limit",
    baseAmount: 0.005,
    price: 90_000,
  });
  assert.deepEqual((await execution.openOrders("BTC/USDT")).map((o) => o.clientOrderId), [
    "sell-1",
  ]);
  assert.equal((await execution.cancel("sell-1", "BTC/USDT"))?.status, "canceled");
  assert.equal(await execution.cancel("nope-1", "BTC/USDT"), null);
  assert.equal(await execution.fetchOrder("nope-1", "BTC/USDT"), null);
  const fills = await execution.myFills("BTC/USDT", 0);
  assert.deepEqual(fills.map((f) => [f.clientOrderId, f.side, f.baseAmount]), [[
    "buy-1",
    "buy",
    0.01,
  ]]);
  const balances = await execution.balances("BTC/USDT");
  assert.equal(balances.baseFree, 0.01 - 0.01 * 0.001);
  assert.ok(balances.quoteFree < 10_000 && balances.quoteFree === balances.quoteTotal);
});

Deno.test("CcxtExecutionClient with a wrong secret fails with AuthenticationError and no retry", async () => {
  const { emulator, execution } = await setup({
    keys: { apiKey: "emulator-test-key", secret: "wrong" },
  });
  await using _ = emulator;
  await assert.rejects(execution.balances("BTC/USDT"), AuthenticationError);
  const account = emulator.requests().filter((r) => r.path === "/api/v3/account");
  assert.equal(account.length, 1);
  assert.equal(account[0].errorCode, -1022);
});

Deno.test("CcxtExecutionClient resyncs its clock on -1021 and then succeeds", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  emulator.setServerTimeOffset(-120_000);
  const balances = await execution.balances("BTC/USDT");
  assert.equal(balances.quoteFree, 10_000);
  const calls = emulator.requests().map((r) => `${r.path} ${r.errorCode ?? r.status}`);
  assert.deepEqual(calls, ["/api/v3/account -1021", "/api/v3/time 200", "/api/v3/account 200"]);
});

Deno.test("CcxtExecutionClient places a stop_market order that the emulator triggers when price falls through it", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  emulator.setTime(Date.UTC(2024, 7, 1));
  const entry = await execution.submit({ ...BUY, clientOrderId: "entry-1" });
  const stopPrice = Math.round(entry.averagePrice! * 0.95);
  const stop = await execution.submit({
    ...BUY,
    clientOrderId: "stop-1",
    side: "sell",
    type: "stop_market",
    baseAmount: 0.009,
    price: stopPrice,
  });
  assert.deepEqual([stop.type, stop.status, stop.price], ["stop_market", "open", stopPrice]);
  assert.equal(
    emulator.requests().find((r) => r.params.newClientOrderId === "stop-1")?.params.type,
    "STOP_LOSS",
  );
  emulator.setTime(Date.UTC(2024, 7, 6)); // 2024-08-05: BTC fell about 15 %
  const filled = await execution.fetchOrder("stop-1", "BTC/USDT");
  assert.equal(filled?.status, "filled");
  assert.ok(filled!.averagePrice! <= stopPrice);
});

Deno.test("CcxtExecutionClient resends an order refused with -1021 after resyncing, once", async () => {
  const { emulator, execution } = await setup();
  await using _ = emulator;
  emulator.addFault({ kind: "clock_skew", method: "POST", path: "/api/v3/order" });
  const order = await execution.submit({ ...BUY, clientOrderId: "skew-1" });
  assert.equal(order.status, "filled");
  assert.equal(emulator.orders().length, 1);
  const calls = emulator.requests().filter((r) => r.path !== "/api/v3/ticker/24hr");
  assert.deepEqual(calls.map((r) => `${r.method} ${r.path} ${r.errorCode ?? r.status}`), [
    "POST /api/v3/order -1021",
    "GET /api/v3/time 200",
    "POST /api/v3/order 200",
  ]);
});
