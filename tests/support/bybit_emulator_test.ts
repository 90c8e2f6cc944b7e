import assert from "node:assert/strict";
import ccxt from "ccxt";
import { createExchange } from "../../src/exchange/mod.ts";
import { BYBIT_API_KEY, BYBIT_API_SECRET, BybitEmulator } from "./bybit_emulator.ts";
import { RecordingLogger } from "./exchange_harness.ts";

const START_MS = Date.UTC(2024, 7, 1, 0, 30);

function bybit(emulator: BybitEmulator, keys: { apiKey: string; secret: string } | null) {
  return createExchange("bybit", {
    apiUrl: emulator.url,
    credentials: keys,
    logger: new RecordingLogger(),
    retry: { baseDelayMs: 1, capMs: 5 },
  }).ccxt;
}
const KEYS = { apiKey: BYBIT_API_KEY, secret: BYBIT_API_SECRET };

Deno.test("bybit emulator: CCXT's bybit class loads spot markets with Bybit's lot filters", async () => {
  await using emulator = new BybitEmulator({ startMs: START_MS });
  const ex = bybit(emulator, null);
  const markets = await ex.loadMarkets();
  assert.deepEqual(Object.keys(markets).sort(), ["AVAX/USDT", "BTC/USDT", "ETH/USDT", "SOL/USDT"]);
  const btc = markets["BTC/USDT"]!;
  assert.equal(btc.id, "BTCUSDT");
  assert.equal(btc.limits.amount?.min, 0.000048);
  assert.equal(btc.limits.cost?.min, 5);
  assert.equal(btc.precision.amount, 0.000001);
  const categories = emulator.requests().filter((r) => r.path === "/v5/market/instruments-info")
    .map((r) => r.params.category);
  assert.ok(categories.includes("spot"));
});

Deno.test("bybit emulator: klines come newest first, at most 1,000 a page, forward from start", async () => {
  await using emulator = new BybitEmulator({ startMs: Date.UTC(2025, 7, 1) });
  const ex = bybit(emulator, null);
  const since = Date.UTC(2024, 8, 1);
  const page = await ex.fetchOHLCV("BTC/USDT", "1h", since, 1000);
  assert.equal(page.length, 1000);
  assert.equal(page[0][0], since);
  assert.equal(page[999][0], since + 999 * 3_600_000);
  const raw = emulator.requests().findLast((r) => r.path === "/v5/market/kline")!;
  assert.equal(raw.params.category, "spot");
  assert.equal(raw.params.interval, "60");
  const direct = await fetch(
    `${emulator.url}/v5/market/kline?category=spot&symbol=BTCUSDT&interval=60&limit=3`,
  ).then((r) => r.json());
  const times = direct.result.list.map((row: string[]) => Number(row[0]));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), "newest first");
  const tooMany = await fetch(
    `${emulator.url}/v5/market/kline?category=spot&symbol=BTCUSDT&interval=60&limit=1001`,
  ).then((r) => r.json());
  assert.equal(tooMany.retCode, 10001);
  await assert.rejects(ex.fetchOHLCV("BTC/USDT", "1M", since), ccxt.BadRequest);
});

Deno.test("bybit emulator: HMAC headers checked: bad secret 10004, stale timestamp 10002", async () => {
  await using emulator = new BybitEmulator({ startMs: START_MS });
  await assert.rejects(
    bybit(emulator, { apiKey: BYBIT_API_KEY, secret: "wrong" }).fetchBalance(),
    (e) => e instanceof ccxt.AuthenticationError && /10004/.test(String(e)),
  );
  await assert.rejects(
    bybit(emulator, { apiKey: "nobody", secret: "x" }).fetchBalance(),
    (e) => e instanceof ccxt.AuthenticationError && /10003/.test(String(e)),
  );
  emulator.serverTimeOffsetMs = 10_000; // our clock 10 s behind Bybit's: outside recvWindow
  await assert.rejects(
    bybit(emulator, KEYS).fetchBalance(),
    (e) => e instanceof ccxt.InvalidNonce && /10002/.test(String(e)),
  );
  emulator.serverTimeOffsetMs = 0;
  const balance = await bybit(emulator, KEYS).fetchBalance();
  assert.equal(balance.USDT?.free, 10_000);
});

Deno.test("bybit emulator: orders by orderLinkId, Bybit's limits and fees, books balance", async () => {
  await using emulator = new BybitEmulator({ startMs: START_MS });
  const ex = bybit(emulator, KEYS);
  await ex.loadMarkets();
  const buy = await ex.createOrder("BTC/USDT", "market", "buy", 0.001, undefined, {
    clientOrderId: "inst-e1",
  });
  assert.equal(buy.clientOrderId, "inst-e1");
  const [order] = emulator.orders();
  assert.equal(order.status, "FILLED");
  assert.equal(order.executedQty, 0.001);
  const trades = await ex.fetchMyTrades("BTC/USDT");
  assert.equal(trades.length, 1);
  assert.equal(trades[0].fee?.currency, "BTC", "a Bybit spot buy pays its fee in the base coin");
  assert.equal(emulator.balances().BTC.free, 0.001 - 0.000001);
  await assert.rejects(
    ex.createOrder("BTC/USDT", "market", "buy", 0.001, undefined, { clientOrderId: "inst-e1" }),
    (e) => e instanceof ccxt.InvalidOrder && /170141/.test(String(e)),
  );
  await assert.rejects(
    ex.createOrder("BTC/USDT", "market", "buy", 0.001, undefined, {
      clientOrderId: "x".repeat(37),
    }),
    (e) => e instanceof ccxt.BadRequest && /170130/.test(String(e)),
  );
  await assert.rejects(
    ex.createOrder("BTC/USDT", "limit", "buy", 0.00005, 60000, { clientOrderId: "tiny" }),
    (e) => e instanceof ccxt.InvalidOrder && /170140/.test(String(e)),
    "0.00005 BTC at 60,000 is 3 USDT, under the 5 USDT minimum",
  );
  const limit = await ex.createOrder("BTC/USDT", "limit", "buy", 0.001, 50000, {
    clientOrderId: "inst-l1",
  });
  const open = await ex.fetchOpenOrders("BTC/USDT");
  assert.deepEqual(open.map((o) => o.clientOrderId), ["inst-l1"]);
  assert.equal(open[0].id, limit.id);
  await ex.cancelOrder(limit.id!, "BTC/USDT");
  assert.equal(emulator.orders().find((o) => o.clientOrderId === "inst-l1")?.status, "CANCELED");
  await assert.rejects(ex.cancelOrder(limit.id!, "BTC/USDT"), ccxt.OrderNotFound);
  assert.equal(emulator.balances().USDT.locked, 0);
});

Deno.test("bybit emulator: too many requests a second on one endpoint answer 10006", async () => {
  await using emulator = new BybitEmulator({ startMs: START_MS, requestsPerSecond: 3 });
  const ex = bybit(emulator, KEYS);
  await ex.loadMarkets();
  ex.enableRateLimit = false;
  const results = await Promise.allSettled(
    Array.from({ length: 8 }, () => ex.fetchOpenOrders("BTC/USDT")),
  );
  const limited = results.filter((r) =>
    r.status === "rejected" && r.reason instanceof ccxt.RateLimitExceeded
  );
  assert.ok(limited.length >= 1, "some requests were refused");
  assert.ok(emulator.requests().some((r) => r.errorCode === 10006));
  emulator.addFault({ kind: "rate_limit", path: "/v5/order/create" });
  await assert.rejects(
    ex.createOrder("BTC/USDT", "market", "buy", 0.001, undefined, { clientOrderId: "rl" }),
    ccxt.RateLimitExceeded,
  );
  assert.equal(emulator.orders().length, 0, "a refused create made no order");
});
