import assert from "node:assert/strict";
import ccxt from "ccxt";
import { createExchange } from "../../src/exchange/mod.ts";
import { generateCdpKey } from "./coinbase_auth.ts";
import { CoinbaseEmulator } from "./coinbase_emulator.ts";
import { RecordingLogger } from "./exchange_harness.ts";

const START_MS = Date.UTC(2024, 7, 1, 0, 30);

function coinbase(emulator: CoinbaseEmulator, keys: { apiKey: string; secret: string } | null) {
  return createExchange("coinbase", {
    apiUrl: emulator.url,
    credentials: keys,
    logger: new RecordingLogger(),
    retry: { baseDelayMs: 1, capMs: 5 },
  }).ccxt;
}

Deno.test("coinbase emulator: CCXT's coinbase class loads spot products with Coinbase's sizes", async () => {
  await using emulator = await CoinbaseEmulator.start({ startMs: START_MS });
  const markets = await coinbase(emulator, null).loadMarkets();
  assert.deepEqual(Object.keys(markets).sort(), ["BTC/USD", "BTC/USDT", "ETH/USD", "SOL/USD"]);
  const btc = markets["BTC/USD"]!;
  assert.equal(btc.id, "BTC-USD");
  assert.equal(btc.limits.cost?.min, 1, "quote_min_size");
  assert.equal(btc.limits.amount?.min, 0.00000001, "base_min_size");
  assert.equal(btc.precision.price, 0.01);
  const futures = emulator.requests().filter((r) => r.params.product_type === "FUTURE");
  assert.ok(futures.length >= 1, "futures are asked for and list nothing");
});

Deno.test("coinbase emulator: candles come newest first, 300 a CCXT page, 350 at most, 8 granularities", async () => {
  await using emulator = await CoinbaseEmulator.start({ startMs: Date.UTC(2025, 7, 1) });
  const ex = coinbase(emulator, null);
  const since = Date.UTC(2024, 8, 1);
  const page = await ex.fetchOHLCV("BTC/USDT", "1h", since, 1000);
  assert.equal(page.length, 300, "CCXT asks Coinbase for 300 at most");
  assert.equal(page[0][0], since);
  const raw = emulator.requests().findLast((r) => r.path.endsWith("/candles"))!;
  assert.equal(raw.params.granularity, "ONE_HOUR");
  const base = `${emulator.url}/api/v3/brokerage/market/products/BTC-USDT/candles`;
  const start = since / 1000;
  const direct = await fetch(`${base}?granularity=ONE_HOUR&start=${start}&end=${start + 10_800}`)
    .then((r) => r.json());
  const times = direct.candles.map((c: { start: string }) => Number(c.start));
  assert.deepEqual(times, [start + 7200, start + 3600, start], "newest first");
  const tooMany = await fetch(
    `${base}?granularity=ONE_HOUR&start=${start}&end=${start + 351 * 3600}`,
  );
  assert.equal(tooMany.status, 400);
  assert.equal((await tooMany.json()).error, "INVALID_ARGUMENT");
  await assert.rejects(ex.fetchOHLCV("BTC/USDT", "4h", since), ccxt.ExchangeError);
});

Deno.test("coinbase emulator: the ES256 JWT is checked: another key, a stale token, a wrong uri", async () => {
  await using emulator = await CoinbaseEmulator.start({ startMs: START_MS });
  const stranger = await generateCdpKey();
  await assert.rejects(
    coinbase(emulator, stranger).fetchBalance(),
    ccxt.AuthenticationError,
  );
  const forged = { apiKey: emulator.defaultKey.apiKey, secret: stranger.secret };
  await assert.rejects(coinbase(emulator, forged).fetchBalance(), ccxt.AuthenticationError);
  emulator.serverTimeOffsetMs = 5 * 60_000; // our token expired 3 minutes ago by Coinbase's clock
  await assert.rejects(
    coinbase(emulator, emulator.defaultKey).fetchBalance(),
    ccxt.AuthenticationError,
  );
  emulator.serverTimeOffsetMs = 0;
  const ex = coinbase(emulator, emulator.defaultKey);
  const signed = ex.sign("brokerage/accounts", ["v3", "private"], "GET", {}) as {
    headers: Record<string, string>;
  };
  // A token minted for one path does not open another.
  const reused = await fetch(`${emulator.url}/api/v3/brokerage/orders/historical/batch`, {
    headers: signed.headers,
  });
  assert.equal(reused.status, 401);
  assert.equal(await reused.text(), "Unauthorized\n");
  const balance = await ex.fetchBalance({ v3: true });
  assert.equal(balance.USD?.free, 10_000);
});

Deno.test("coinbase emulator: orders by client_order_id; a reused id returns its order; minimums; fees in USD", async () => {
  await using emulator = await CoinbaseEmulator.start({ startMs: START_MS });
  const ex = coinbase(emulator, emulator.defaultKey);
  await ex.loadMarkets();
  const buy = await ex.createOrder("BTC/USD", "market", "buy", 0, undefined, {
    client_order_id: "inst-e1",
    cost: 120,
  });
  assert.equal(buy.clientOrderId, "inst-e1");
  const again = await ex.createOrder("BTC/USD", "market", "buy", 0, undefined, {
    client_order_id: "inst-e1",
    cost: 120,
  });
  assert.equal(again.id, buy.id, "the reused client id named the first order");
  assert.equal(emulator.orders().length, 1);
  const [order] = emulator.orders();
  assert.equal(order.status, "FILLED");
  assert.equal(order.executedQty, 0.002, "120 USD at the fallback 60,000");
  const trades = await ex.fetchMyTrades("BTC/USD");
  assert.equal(trades[0].fee?.currency, "USD");
  assert.equal(trades[0].fee?.cost, 120 * 0.006);
  assert.equal(emulator.balances().USD.free, 10_000 - 120 - 0.72);
  await assert.rejects(
    ex.createOrder("BTC/USD", "market", "buy", 0, undefined, { client_order_id: "x", cost: 0.5 }),
    ccxt.ExchangeError,
    "0.5 USD is under quote_min_size",
  );
  const limit = await ex.createOrder("BTC/USD", "limit", "buy", 0.001, 50000, {
    client_order_id: "inst-l1",
  });
  const open = await ex.fetchOpenOrders("BTC/USD");
  assert.deepEqual(open.map((o) => o.clientOrderId), ["inst-l1"]);
  await ex.cancelOrder(limit.id!, "BTC/USD");
  assert.equal(emulator.orders().find((o) => o.clientOrderId === "inst-l1")?.status, "CANCELED");
  assert.equal(emulator.balances().USD.locked, 0);
});

Deno.test("coinbase emulator: over 30 private requests a second, and injected storms, answer 429", async () => {
  await using emulator = await CoinbaseEmulator.start({ startMs: START_MS, privatePerSecond: 3 });
  const ex = coinbase(emulator, emulator.defaultKey);
  await ex.loadMarkets();
  ex.enableRateLimit = false;
  const results = await Promise.allSettled(
    Array.from({ length: 8 }, () => ex.fetchOpenOrders("BTC/USD")),
  );
  assert.ok(
    results.some((r) => r.status === "rejected" && r.reason instanceof ccxt.RateLimitExceeded),
  );
  emulator.addFault({ kind: "rate_limit", path: "/api/v3/brokerage/orders" });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await assert.rejects(
    ex.createOrder("BTC/USD", "limit", "buy", 0.001, 50000, { client_order_id: "rl" }),
    ccxt.RateLimitExceeded,
  );
  assert.equal(emulator.orders().length, 0, "a refused create made no order");
});
