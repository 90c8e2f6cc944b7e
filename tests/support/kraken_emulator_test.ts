import assert from "node:assert/strict";
import ccxt, { type Exchange } from "ccxt";
import { createExchange } from "../../src/exchange/mod.ts";
import { EmulatorControlClient } from "./emulator_control.ts";
import { RecordingLogger } from "./exchange_harness.ts";
import {
  KRAKEN_EMULATOR_API_KEY,
  KRAKEN_EMULATOR_API_SECRET,
  KrakenEmulator,
  type KrakenEmulatorOptions,
} from "./kraken_emulator.ts";
import { krakenSignature } from "./kraken_emulator_auth.ts";

const HOUR = 3_600_000;
/** Just after the bundled Kraken BTC/USD 1h candles end (2023-03-31 23:00). */
const AFTER_DATA = Date.UTC(2023, 3, 1, 0, 30);

/** The real CCXT kraken class pointed at the emulator. */
function kraken(emulator: KrakenEmulator, keys = true): Exchange {
  return createExchange("kraken", {
    apiUrl: emulator.url,
    credentials: keys
      ? { apiKey: KRAKEN_EMULATOR_API_KEY, secret: KRAKEN_EMULATOR_API_SECRET }
      : null,
    logger: new RecordingLogger(),
  }).ccxt;
}

function start(options: KrakenEmulatorOptions = {}) {
  return new KrakenEmulator({ publicBurst: 1000, counterMax: 1000, ...options });
}

async function privatePost(
  emulator: KrakenEmulator,
  method: string,
  body: string,
  nonce: string,
  secret = KRAKEN_EMULATOR_API_SECRET,
) {
  const path = `/0/private/${method}`;
  const full = `nonce=${nonce}${body ? `&${body}` : ""}`;
  const res = await fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: {
      "API-Key": KRAKEN_EMULATOR_API_KEY,
      "API-Sign": await krakenSignature(secret, path, nonce, full),
      "content-type": "application/x-www-form-urlencoded",
    },
    body: full,
  });
  return { status: res.status, body: await res.json() };
}

Deno.test("KrakenEmulator checks API-Sign and a growing nonce as Kraken does", async () => {
  await using emulator = start();
  const nonce = String(Date.now());
  const ok = await privatePost(emulator, "Balance", "", nonce);
  assert.deepEqual(ok.body, { error: [], result: { ZUSD: "10000.0000" } });
  const replay = await privatePost(emulator, "Balance", "", nonce);
  assert.deepEqual(replay.body, { error: ["EAPI:Invalid nonce"] });
  const wrong = await privatePost(emulator, "Balance", "", String(Date.now() + 5), btoa("other"));
  assert.deepEqual(wrong.body, { error: ["EAPI:Invalid signature"] });
  const noKey = await fetch(`${emulator.url}/0/private/Balance`, {
    method: "POST",
    body: `nonce=${Date.now() + 10}`,
  });
  assert.deepEqual(await noKey.json(), { error: ["EAPI:Invalid key"] });
});

Deno.test("KrakenEmulator lists markets CCXT reads with Kraken's minimums, ticks and fees", async () => {
  await using emulator = start();
  const ex = kraken(emulator, false);
  const markets = await ex.loadMarkets();
  const btc = markets["BTC/USD"]!;
  assert.equal(btc.id, "XXBTZUSD");
  assert.equal(btc.limits.amount?.min, 0.00005);
  assert.equal(btc.limits.cost?.min, 0.5);
  assert.equal(btc.precision.price, 0.1);
  assert.equal(btc.taker, 0.004);
  assert.equal(btc.maker, 0.0025);
  assert.ok(markets["SOL/USDT"], "the seed config's SOL/USDT is listed");
  assert.deepEqual(emulator.requests().map((r) => r.path).sort(), [
    "/0/public/AssetPairs",
    "/0/public/Assets",
  ]);
});

Deno.test("KrakenEmulator serves only the latest 720 OHLC candles, whatever since asks", async () => {
  await using emulator = start({ startMs: AFTER_DATA });
  const ex = kraken(emulator, false);
  const twoYearsAgo = AFTER_DATA - 730 * 24 * HOUR;
  const rows = await ex.fetchOHLCV("BTC/USD", "1h", twoYearsAgo);
  const nowOpen = Date.UTC(2023, 3, 1, 0);
  const reachable = nowOpen - 719 * HOUR;
  assert.equal(rows[0][0], reachable);
  // The data ends at 2023-03-31 23:00: 719 closed candles, and no open one after the data.
  assert.equal(rows.length, 719);
  assert.equal(rows.at(-1)![0], nowOpen - HOUR);
  const recent = await ex.fetchOHLCV("BTC/USD", "1h", nowOpen - 10 * HOUR);
  assert.equal(recent[0][0], nowOpen - 10 * HOUR);
  assert.equal(recent.length, 10);
  await assert.rejects(ex.fetchOHLCV("BTC/USD", "2h"), ccxt.BadRequest);
});

Deno.test("KrakenEmulator trades through CCXT by cl_ord_id: fill, fee in quote, lookup, cancel", async () => {
  await using emulator = start();
  const ex = kraken(emulator);
  ex.enableRateLimit = false; // CCXT's own pacing (3 s a private call) only slows the test
  await ex.loadMarkets();
  const cid = crypto.randomUUID();
  const buy = await ex.createOrder("BTC/USD", "market", "buy", 0.01, undefined, {
    clientOrderId: cid,
  });
  assert.match(buy.id ?? "", /^O[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{6}$/);
  const sent = emulator.requests().find((r) => r.path === "/0/private/AddOrder")!;
  assert.equal(sent.params.cl_ord_id, cid);
  const byClient = await ex.fetchClosedOrders("BTC/USD", undefined, undefined, {
    clientOrderId: cid,
  });
  assert.equal(byClient.length, 1);
  assert.equal(byClient[0].clientOrderId, cid);
  assert.equal(byClient[0].status, "closed");
  assert.equal(byClient[0].filled, 0.01);
  const fetched = await ex.fetchOrder(buy.id!);
  assert.equal(fetched.clientOrderId, cid);
  const [trade] = await ex.fetchMyTrades("BTC/USD");
  assert.equal(trade.order, buy.id);
  assert.equal(trade.fee?.currency, "USD");
  assert.ok(Math.abs(trade.fee!.cost! - trade.cost! * 0.004) < 0.001);
  const balance = await ex.fetchBalance();
  assert.equal(balance.BTC?.total, 0.01);
  assert.ok(Math.abs(balance.USD!.total! - (10_000 - trade.cost! * 1.004)) < 0.001);
  // A resting limit order: open under its cl_ord_id, cancelled by it.
  const restId = crypto.randomUUID().replaceAll("-", "");
  await ex.createOrder("BTC/USD", "limit", "buy", 0.01, 1000, { clientOrderId: restId });
  const open = await ex.fetchOpenOrders("BTC/USD", undefined, undefined, {
    clientOrderId: restId,
  });
  assert.deepEqual(open.map((o) => [o.clientOrderId, o.price, o.status]), [[restId, 1000, "open"]]);
  await assert.rejects(
    ex.createOrder("BTC/USD", "limit", "buy", 0.01, 1000, { clientOrderId: restId }),
    /Duplicate cl_ord_id/,
  );
  await ex.cancelOrder(undefined as unknown as string, "BTC/USD", { clientOrderId: restId });
  assert.equal(emulator.orders().find((o) => o.clientOrderId === restId)?.status, "CANCELED");
  await assert.rejects(
    ex.cancelOrder(undefined as unknown as string, "BTC/USD", { clientOrderId: restId }),
    ccxt.OrderNotFound,
  );
});

Deno.test("KrakenEmulator refuses what Kraken refuses: minimums, cl_ord_id format, ticks, funds", async () => {
  await using emulator = start();
  const ex = kraken(emulator);
  await ex.loadMarkets();
  const order = (amount: number, params: Record<string, unknown>, price?: number) =>
    ex.createOrder("BTC/USD", price ? "limit" : "market", "buy", amount, price, params);
  await assert.rejects(order(0.00004, {}), /EOrder:Order minimum not met/);
  await assert.rejects(order(0.0001, {}, 1000), /EOrder:Cost minimum not met/);
  await assert.rejects(
    order(0.001, { clientOrderId: "live-btc-kraken-1h-m1a2b3c" }),
    /EGeneral:Invalid arguments:cl_ord_id/,
  );
  await assert.rejects(order(1, {}), ccxt.InsufficientFunds);
  // CCXT rounds prices to the tick; a raw request with more decimals is refused.
  const raw = await privatePost(
    emulator,
    "AddOrder",
    "pair=XXBTZUSD&type=buy&ordertype=limit&volume=0.001&price=20000.05",
    String(Date.now()),
  );
  assert.match(
    raw.body.error[0],
    /^EOrder:Invalid price:XBTUSD price can only be specified up to 1 decimals/,
  );
  // Parameters Kraken does not know are refused, not silently dropped.
  const unknown = await privatePost(
    emulator,
    "AddOrder",
    "pair=XXBTZUSD&type=sell&ordertype=market&volume=0.001&triggerPrice=20000",
    String(Date.now() + 1),
  );
  assert.deepEqual(unknown.body, { error: ["EGeneral:Invalid arguments:triggerPrice"] });
  assert.equal(emulator.orders().length, 0);
});

Deno.test("KrakenEmulator rate limits: the API counter and the public budget answer Kraken's errors", async () => {
  await using emulator = new KrakenEmulator({ counterMax: 3, decayPerSec: 0.001, publicBurst: 4 });
  const ex = kraken(emulator);
  ex.enableRateLimit = false;
  await ex.loadMarkets(); // 2 public calls
  for (let i = 0; i < 3; i++) await ex.fetchBalance();
  await assert.rejects(ex.fetchBalance(), ccxt.DDoSProtection);
  const refused = emulator.requests().at(-1)!;
  assert.equal(refused.error, "EAPI:Rate limit exceeded");
  await ex.fetchTime();
  await ex.fetchTime();
  await assert.rejects(ex.fetchTime(), ccxt.DDoSProtection);
  assert.deepEqual(
    [emulator.requests().at(-1)!.status, emulator.requests().at(-1)!.error],
    [429, "EGeneral:Too many requests"],
  );
  // Injected storms use the same texts.
  emulator.resetWeights();
  emulator.addFault({ kind: "rate_limit", path: "/0/private/AddOrder", times: 1 });
  await assert.rejects(
    ex.createOrder("BTC/USD", "market", "buy", 0.001, undefined, {}),
    ccxt.DDoSProtection,
  );
  assert.equal(emulator.requests().at(-1)!.error, "EOrder:Rate limit exceeded");
});

Deno.test("KrakenEmulator control API works over HTTP", async () => {
  await using emulator = start();
  const control = new EmulatorControlClient(emulator.url);
  await control.setBalance("XXBT", 2);
  assert.equal((await control.balances()).XXBT.free, 2);
  const placed = await control.placeOrder({
    symbol: "BTCUSD",
    side: "SELL",
    type: "LIMIT",
    quantity: 0.5,
    price: 90_000,
    clientOrderId: "web-1",
  });
  assert.equal(placed.status, "NEW");
  const ex = kraken(emulator);
  const open = await ex.fetchOpenOrders("BTC/USD");
  assert.deepEqual(open.map((o) => o.clientOrderId), ["web-1"]);
  await control.expireOrder("web-1");
  assert.equal((await ex.fetchOpenOrders("BTC/USD")).length, 0);
});
