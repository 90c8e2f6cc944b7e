/**
 * The product's order client (`CcxtExecutionClient`) on the Coinbase emulator: orders named by our
 * client id, found in the order list, cancelled by Coinbase's own id, balances with held funds
 * apart, and a protective stop refused in one line (CCXT sends only stop-limit orders there).
 */
import assert from "node:assert/strict";
import { OrderRejectedError } from "../../src/core/errors.ts";
import { createExchange } from "../../src/exchange/mod.ts";
import { CcxtExecutionClient } from "../../src/exchange/ccxt_execution_client.ts";
import { loadMarketCatalog } from "../../src/exchange/market_catalog.ts";
import { CoinbaseEmulator } from "../support/coinbase_emulator.ts";
import { RecordingLogger } from "../support/exchange_harness.ts";

Deno.test("coinbase: market buy by cost, lookups and cancels by client id, v3 balances, no stop_market", async () => {
  await using emulator = await CoinbaseEmulator.start({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  const client = createExchange("coinbase", {
    apiUrl: emulator.url,
    credentials: emulator.defaultKey,
    logger: new RecordingLogger(),
    retry: { baseDelayMs: 1, capMs: 5 },
  });
  const clock = { nowMs: () => emulator.clock.nowMs(), sleepUntil: () => Promise.resolve() };
  const catalog = await loadMarketCatalog(client, { nowMs: clock.nowMs() });
  const venue = new CcxtExecutionClient(client, catalog, { clock });
  const buy = await venue.submit({
    clientOrderId: "t-1-e1",
    symbol: "BTC/USD",
    side: "buy",
    type: "market",
    baseAmount: 0.002,
    price: null,
  });
  assert.deepEqual([buy.status, buy.filledBaseAmount, buy.feeQuote], ["filled", 0.002, 0.72]);
  const sent = emulator.requests().findLast((r) => r.path === "/api/v3/brokerage/orders")!;
  assert.equal(sent.params.client_order_id, "t-1-e1", "our id, not CCXT's ccxt-<uuid>");
  assert.match(sent.params.order_configuration, /"quote_size":"120"/, "the quote to spend");
  assert.equal((await venue.fetchOrder("t-1-e1", "BTC/USD"))?.exchangeOrderId, buy.exchangeOrderId);
  assert.equal(await venue.fetchOrder("t-1-e9", "BTC/USD"), null, "an unknown id is not found");
  const limit = await venue.submit({
    clientOrderId: "t-1-l1",
    symbol: "BTC/USD",
    side: "buy",
    type: "limit",
    baseAmount: 0.01,
    price: 50000,
  });
  assert.equal(limit.status, "open");
  const held = await venue.balances("BTC/USD");
  assert.equal(held.quoteFree, 10_000 - 120.72 - 500 * 1.006, "the limit's funds are held");
  assert.equal(held.quoteTotal, 10_000 - 120.72);
  const canceled = await venue.cancel("t-1-l1", "BTC/USD");
  assert.equal(canceled?.status, "canceled");
  const cancel = emulator.requests().findLast((r) => r.path.endsWith("/batch_cancel"))!;
  assert.equal(cancel.params.order_ids, JSON.stringify([limit.exchangeOrderId]));
  assert.equal(await venue.cancel("t-1-x1", "BTC/USD"), null);
  await assert.rejects(
    venue.submit({
      clientOrderId: "t-1-s1",
      symbol: "BTC/USD",
      side: "sell",
      type: "stop_market",
      baseAmount: 0.001,
      price: 50000,
    }),
    (e) => e instanceof OrderRejectedError && /stop limit/.test(e.message),
  );
});
