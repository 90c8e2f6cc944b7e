import assert from "node:assert/strict";
import type { Candle, OrderRequest } from "../core/types.ts";
import {
  type SimOrderRequest,
  SimulatedExchange,
  type SimulatedExchangeOptions,
} from "./simulated_exchange.ts";

const H = 3_600_000;

function bar(i: number, open: number, high: number, low: number, close: number): Candle {
  return { openTimeMs: i * H, open, high, low, close, volume: 1 };
}

function exchange(options: Partial<SimulatedExchangeOptions> = {}): SimulatedExchange {
  return new SimulatedExchange({
    symbol: "BTC/USDT",
    feeRate: 0.001,
    slippageBps: 0,
    amountStep: 0.001,
    quoteBalance: 1000,
    ...options,
  });
}

function order(id: string, fields: Partial<SimOrderRequest>): SimOrderRequest {
  return {
    clientOrderId: id,
    symbol: "BTC/USDT",
    side: "buy",
    type: "market",
    baseAmount: 1,
    price: null,
    ...fields,
  };
}

function near(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} != ${expected}`,
  );
}

/** An exchange account holding 10 base and no quote, so sells can be tested. */
function holding(options: Partial<SimulatedExchangeOptions> = {}): SimulatedExchange {
  return exchange({ quoteBalance: 0, baseBalance: 10, ...options });
}

Deno.test("SimulatedExchange fills a market buy at the next open plus slippage, sized to the step with the fee", () => {
  const v = exchange({ slippageBps: 10 });
  v.submit(order("b1", { quoteAmount: 1000, baseAmount: 9.99 }));
  const [filled] = v.openBar(bar(1, 100, 101, 99, 100.5));
  // price 100 × 1.001 = 100.1; amount floor_to_step(1000 / (100.1 × 1.001), 0.001) = 9.980
  near(filled.averagePrice!, 100.1, "price");
  assert.equal(filled.filledBaseAmount, 9.98);
  near(filled.feeQuote, 0.998998, "fee = 9.98 × 100.1 × 0.001");
  near(v.balances().quoteFree, 0.003002, "quote left = 1000 − 998.998 − 0.998998");
  assert.equal(v.balances().baseFree, 9.98);
  assert.equal(filled.status, "filled");
  assert.equal(filled.updatedMs, 1 * H);
});

Deno.test("SimulatedExchange moves a market sell down by the slippage and charges the fee on the notional", () => {
  const v = holding({ slippageBps: 10 });
  v.submit(order("s1", { side: "sell", baseAmount: 10 }));
  const [filled] = v.openBar(bar(1, 110, 111, 109, 110));
  near(filled.averagePrice!, 109.89, "110 × 0.999");
  near(filled.feeQuote, 1.0989, "1098.9 × 0.001");
  near(v.balances().quoteFree, 1097.8011, "1098.9 − 1.0989");
  assert.equal(v.balances().baseFree, 0);
});

Deno.test("SimulatedExchange fills a stop inside the bar at its trigger price", () => {
  const v = holding();
  v.submit(order("stop", { side: "sell", type: "stop_market", baseAmount: 10, price: 95 }));
  assert.deepEqual(v.rangeBar(bar(1, 100, 101, 96, 97)), []);
  const [filled] = v.rangeBar(bar(2, 100, 101, 94, 97));
  assert.equal(filled.averagePrice, 95);
  near(v.balances().quoteFree, 949.05, "950 − 0.95");
});

Deno.test("SimulatedExchange fills a stop the bar gaps through at the open", () => {
  const v = holding();
  v.submit(order("stop", { side: "sell", type: "stop_market", baseAmount: 10, price: 95 }));
  const [filled] = v.rangeBar(bar(1, 93, 96, 90, 91));
  assert.equal(filled.averagePrice, 93);
});

Deno.test("SimulatedExchange fills a take-profit at its price inside the bar, or at a gapped-up open", () => {
  const inside = holding();
  inside.submit(order("tp", { side: "sell", type: "limit", baseAmount: 10, price: 105 }));
  assert.equal(inside.rangeBar(bar(1, 100, 106, 99, 104))[0].averagePrice, 105);
  const gapped = holding();
  gapped.submit(order("tp", { side: "sell", type: "limit", baseAmount: 10, price: 105 }));
  assert.equal(gapped.rangeBar(bar(1, 107, 108, 104, 106))[0].averagePrice, 107);
});

Deno.test("SimulatedExchange takes the adverse stop first when stop and take-profit lie in one bar", () => {
  const v = holding();
  v.submit(order("tp", { side: "sell", type: "limit", baseAmount: 10, price: 105 }));
  v.submit(order("stop", { side: "sell", type: "stop_market", baseAmount: 10, price: 95 }));
  const changed = v.rangeBar(bar(1, 100, 106, 94, 100));
  assert.deepEqual(changed.map((o) => [o.clientOrderId, o.status, o.averagePrice]), [
    ["stop", "filled", 95],
    ["tp", "canceled", null],
  ]);
  assert.equal(v.balances().baseFree, 0);
});

Deno.test("SimulatedExchange takes a take-profit gapped through at the open before a stop later in the bar", () => {
  const v = holding();
  v.submit(order("stop", { side: "sell", type: "stop_market", baseAmount: 10, price: 95 }));
  v.submit(order("tp", { side: "sell", type: "limit", baseAmount: 10, price: 105 }));
  const changed = v.rangeBar(bar(1, 107, 108, 94, 100));
  assert.deepEqual(changed.map((o) => [o.clientOrderId, o.status, o.averagePrice]), [
    ["tp", "filled", 107],
    ["stop", "canceled", null],
  ]);
});

Deno.test("SimulatedExchange delays market fills by the configured latency in candles", () => {
  const v = exchange({ latencyCandles: 2 });
  v.openBar(bar(0, 100, 100, 100, 100));
  v.submit(order("b1", { quoteAmount: 500 }));
  assert.deepEqual(v.openBar(bar(1, 101, 101, 101, 101)), []);
  assert.deepEqual(v.openBar(bar(2, 102, 102, 102, 102)), []);
  const [filled] = v.openBar(bar(3, 103, 103, 103, 103));
  assert.equal(filled.averagePrice, 103);
  assert.equal(filled.updatedMs, 3 * H);
});

Deno.test("SimulatedExchange rejects buys below the exchange minimums or beyond the balance", () => {
  const v = exchange({ minNotional: 10, minAmount: 0.05 });
  v.submit(order("tiny", { quoteAmount: 5 }));
  v.submit(order("small", { baseAmount: 0.01 }));
  v.submit(order("huge", { baseAmount: 20 }));
  const changed = v.openBar(bar(1, 100, 100, 100, 100));
  assert.deepEqual(changed.map((o) => [o.clientOrderId, o.status]), [
    ["tiny", "rejected"],
    ["small", "rejected"],
    ["huge", "rejected"],
  ]);
  assert.equal(v.balances().quoteFree, 1000);
});

Deno.test("SimulatedExchange treats a repeated client id as the same order", () => {
  const v = exchange();
  const first = v.submit(order("b1", { quoteAmount: 500 }));
  const again = v.submit(order("b1", { quoteAmount: 900 }));
  assert.equal(again, first);
  assert.equal(v.openBar(bar(1, 100, 100, 100, 100)).length, 1);
  assert.equal(v.fills(0).length, 1);
});

Deno.test("SimulatedExchange settles pending market orders at the close without slippage", () => {
  const v = holding({ slippageBps: 50 });
  v.submit(order("end", { side: "sell", baseAmount: 10 }));
  const [filled] = v.settle(bar(1, 100, 120, 90, 110));
  assert.equal(filled.averagePrice, 110);
  near(v.balances().quoteFree, 1098.9, "1100 − 1.1");
});

Deno.test("SimulatedExchange refuses orders it cannot model", () => {
  const v = exchange();
  const request: OrderRequest = { ...order("x", {}), type: "limit", price: 90 };
  assert.equal(v.submit(request).status, "rejected");
  assert.equal(v.submit(order("y", { baseAmount: -1 })).status, "rejected");
  assert.equal(v.submit({ ...order("z", {}), symbol: "ETH/USDT" }).status, "rejected");
  assert.equal(v.cancel("unknown"), null);
});

Deno.test("SimulatedExchange resumes from a snapshot with its balances and resting orders", () => {
  const v = holding();
  v.submit(order("stop", { side: "sell", type: "stop_market", baseAmount: 10, price: 95 }));
  v.submit(order("later", { side: "sell", baseAmount: 4 }));
  const copy = exchange();
  copy.restore(JSON.parse(JSON.stringify(v.snapshot())));
  assert.deepEqual(copy.balances(), v.balances());
  assert.equal(copy.order("stop")?.status, "open");
  const changed = copy.openBar(bar(1, 100, 100, 100, 100));
  assert.deepEqual(changed.map((o) => [o.clientOrderId, o.status, o.filledBaseAmount]), [
    ["later", "filled", 4],
    ["stop", "canceled", 0], // it sells 10 and only 6 are left
  ]);
});

Deno.test("SimulatedExchange sells a resting stop or take-profit at market when a ticker price crosses it", () => {
  const v = holding();
  v.submit(order("tp", { side: "sell", type: "limit", baseAmount: 10, price: 105 }));
  v.submit(order("stop", { side: "sell", type: "stop_market", baseAmount: 10, price: 95 }));
  assert.deepEqual(v.triggerAtPrice(100, 5_000), [], "between the levels: nothing");
  const changed = v.triggerAtPrice(106, 6_000);
  assert.deepEqual(changed.map((o) => [o.clientOrderId, o.status, o.averagePrice, o.updatedMs]), [
    ["tp", "filled", 106, 6_000],
    ["stop", "canceled", null, 6_000],
  ]);
  assert.equal(v.balances().baseFree, 0);
  assert.deepEqual(v.triggerAtPrice(90, 7_000), [], "nothing rests any more");
  const slipped = holding({ slippageBps: 10 });
  slipped.submit(order("stop", { side: "sell", type: "stop_market", baseAmount: 10, price: 95 }));
  const [stop] = slipped.triggerAtPrice(94, 8_000);
  near(stop.averagePrice!, 94 * 0.999, "a ticker exit pays the market slippage");
});

Deno.test("SimulatedExchange skips idle bars in one call, counting them for latency", () => {
  const fast = exchange({ latencyCandles: 1, retainHistory: false });
  const slow = exchange({ latencyCandles: 1, retainHistory: false });
  // Bars 0..4 idle: one call for bars 1..4 on `fast`, one idleBar each on `slow`.
  assert.equal(fast.idleBar(bar(0, 100, 100, 100, 100)), true);
  assert.equal(fast.idleBars(4, 4 * H), true);
  for (let i = 0; i < 5; i++) assert.equal(slow.idleBar(bar(i, 100, 100, 100, 100)), true);
  for (const venue of [fast, slow]) {
    venue.submit(order("b1", { quoteAmount: 500 }));
    // A pending order: no bar may be skipped.
    assert.equal(venue.idleBars(3, 8 * H), false);
    assert.equal(venue.openBar(bar(5, 100, 100, 100, 100)).length, 0);
  }
  assert.deepEqual(
    fast.openBar(bar(6, 100, 100, 100, 100)),
    slow.openBar(bar(6, 100, 100, 100, 100)),
  );
  assert.equal(fast.order("b1"), null);
  assert.deepEqual(fast.balances(), slow.balances());
  assert.ok(fast.balances().baseFree > 0);
});
