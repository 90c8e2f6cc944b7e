/**
 * The product's order client (`CcxtExecutionClient`) on the Bybit emulator: protective stops are
 * Bybit conditional orders, which a cancel must name as such.
 */
import assert from "node:assert/strict";
import { createExchange } from "../../src/exchange/mod.ts";
import { CcxtExecutionClient } from "../../src/exchange/ccxt_execution_client.ts";
import { loadMarketCatalog } from "../../src/exchange/market_catalog.ts";
import { BYBIT_API_KEY, BYBIT_API_SECRET, BybitEmulator } from "../support/bybit_emulator.ts";
import { RecordingLogger } from "../support/exchange_harness.ts";

Deno.test("bybit: a stop_market order rests as a conditional order and a cancel by client id ends it", async () => {
  await using emulator = new BybitEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  const client = createExchange("bybit", {
    apiUrl: emulator.url,
    credentials: { apiKey: BYBIT_API_KEY, secret: BYBIT_API_SECRET },
    logger: new RecordingLogger(),
    retry: { baseDelayMs: 1, capMs: 5 },
  });
  const clock = { nowMs: () => emulator.clock.nowMs(), sleepUntil: () => Promise.resolve() };
  const catalog = await loadMarketCatalog(client, { nowMs: clock.nowMs() });
  const venue = new CcxtExecutionClient(client, catalog, { clock });
  const entry = await venue.submit({
    clientOrderId: "t-1-e1",
    symbol: "BTC/USDT",
    side: "buy",
    type: "market",
    baseAmount: 0.002,
    price: null,
  });
  assert.equal(entry.status, "filled");
  const stop = await venue.submit({
    clientOrderId: "t-1-s1",
    symbol: "BTC/USDT",
    side: "sell",
    type: "stop_market",
    baseAmount: 0.001,
    price: 50000,
  });
  assert.equal(stop.status, "open");
  assert.equal(stop.type, "stop_market");
  const create = emulator.requests().findLast((r) => r.path === "/v5/order/create")!;
  assert.equal(create.params.orderFilter, "StopOrder");
  assert.equal(create.params.triggerPrice, "50000");
  assert.deepEqual((await venue.openOrders("BTC/USDT")).map((o) => o.clientOrderId), ["t-1-s1"]);
  const canceled = await venue.cancel("t-1-s1", "BTC/USDT");
  assert.equal(canceled?.status, "canceled");
  assert.equal(emulator.orders().find((o) => o.clientOrderId === "t-1-s1")?.status, "CANCELED");
  assert.equal(emulator.balances().BTC.locked, 0, "the stop's coins are free again");
});
