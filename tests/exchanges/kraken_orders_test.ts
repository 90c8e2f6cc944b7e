/**
 * The order path on Kraken through `CcxtExecutionClient` and CCXT's real `kraken` class: orders
 * named by their `cl_ord_id`, found again by it (also by a restarted trader whose markets come from
 * the cache), cancelled by it, and Kraken's refusals.
 */
import assert from "node:assert/strict";
import type { Clock } from "../../src/core/ports.ts";
import {
  type CachedMarket,
  CcxtExecutionClient,
  createExchange,
  loadMarketCatalog,
  type MarketCache,
} from "../../src/exchange/mod.ts";
import { RecordingLogger } from "../support/exchange_harness.ts";
import {
  KRAKEN_EMULATOR_API_KEY,
  KRAKEN_EMULATOR_API_SECRET,
  KrakenEmulator,
} from "../support/kraken_emulator.ts";

class MemoryCache implements MarketCache {
  rows: CachedMarket[] = [];
  list(exchange: string) {
    return this.rows.filter((m) => m.exchange === exchange);
  }
  upsert(markets: readonly CachedMarket[]) {
    this.rows = [...markets];
  }
}

/** A trader's execution client on the emulator; markets from `cache` when it holds them. */
async function execution(emulator: KrakenEmulator, cache: MemoryCache) {
  const client = createExchange("kraken", {
    apiUrl: emulator.url,
    credentials: { apiKey: KRAKEN_EMULATOR_API_KEY, secret: KRAKEN_EMULATOR_API_SECRET },
    logger: new RecordingLogger(),
    retry: { baseDelayMs: 1, capMs: 5 },
  });
  client.ccxt.enableRateLimit = false; // CCXT's pacing (3 s a private call) only slows the test
  // CCXT's kraken nonce is the millisecond; unpaced calls can share one, which Kraken refuses.
  let lastNonce = 0;
  client.ccxt.nonce = () => (lastNonce = Math.max(Date.now(), lastNonce + 1));
  const clock: Clock = {
    nowMs: () => emulator.clock.nowMs(),
    sleepUntil: () => Promise.resolve(),
  };
  const catalog = await loadMarketCatalog(client, { nowMs: clock.nowMs(), cache });
  return { catalog, venue: new CcxtExecutionClient(client, catalog, { clock }) };
}

Deno.test("kraken orders are found by cl_ord_id, also with markets from the cache after a restart", async () => {
  await using emulator = new KrakenEmulator({ publicBurst: 1000, counterMax: 1000 });
  const cache = new MemoryCache();
  const first = await execution(emulator, cache);
  assert.equal(first.catalog.source, "exchange");
  const sent = await first.venue.submit({
    clientOrderId: "m4ma-htoj3-e1",
    symbol: "BTC/USD",
    side: "buy",
    type: "market",
    baseAmount: 0.01,
    price: null,
  });
  // Kraken's AddOrder answers with the txid and a description only: the state is looked up.
  assert.deepEqual([sent.clientOrderId, sent.exchangeOrderId, sent.status, sent.filledBaseAmount], [
    "m4ma-htoj3-e1",
    emulator.txid(emulator.book.orders[0].orderId),
    "filled",
    0.01,
  ]);
  // A restarted trader reads the markets from the cache and looks its order up.
  const restarted = await execution(emulator, cache);
  assert.equal(restarted.catalog.source, "cache");
  const found = await restarted.venue.fetchOrder("m4ma-htoj3-e1", "BTC/USD");
  assert.ok(found, "the order is found by its cl_ord_id");
  assert.deepEqual(
    [found.status, found.filledBaseAmount, found.exchangeOrderId, found.symbol],
    ["filled", 0.01, emulator.txid(emulator.book.orders[0].orderId), "BTC/USD"],
  );
  assert.equal(await restarted.venue.fetchOrder("m4ma-htoj3-e9", "BTC/USD"), null);
  // A resting order: open under its id, cancelled by it.
  await restarted.venue.submit({
    clientOrderId: "m4ma-htoj3-t2",
    symbol: "BTC/USD",
    side: "buy",
    type: "limit",
    baseAmount: 0.01,
    price: 1000,
  });
  assert.equal((await restarted.venue.fetchOrder("m4ma-htoj3-t2", "BTC/USD"))?.status, "open");
  const cancelled = await restarted.venue.cancel("m4ma-htoj3-t2", "BTC/USD");
  assert.equal(cancelled?.status, "canceled");
  // A stop goes out as Kraken's stop-loss (CCXT's kraken class ignores `triggerPrice`).
  const stop = await restarted.venue.submit({
    clientOrderId: "m4ma-htoj3-s3",
    symbol: "BTC/USD",
    side: "sell",
    type: "stop_market",
    baseAmount: 0.005,
    price: 20000,
  });
  const sentStop = emulator.requests().findLast((r) => r.path === "/0/private/AddOrder")!;
  assert.deepEqual([sentStop.params.ordertype, sentStop.params.price], ["stop-loss", "20000"]);
  assert.deepEqual([stop.type, stop.price, stop.status], ["stop_market", 20000, "open"]);
  assert.equal((await restarted.venue.cancel("m4ma-htoj3-s3", "BTC/USD"))?.status, "canceled");
  const fills = await restarted.venue.myFills("BTC/USD", 0);
  assert.deepEqual(fills.map((f) => [f.clientOrderId, f.baseAmount]), [["m4ma-htoj3-e1", 0.01]]);
});
