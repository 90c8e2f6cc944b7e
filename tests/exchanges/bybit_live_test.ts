/**
 * Live trading on the Bybit v5 emulator through CCXT's real `bybit` class: kill -9 at three points
 * of the order path, a storm of 10006 rate-limit answers, a 10002 timestamp refusal and a lost
 * create response never put an intent on the exchange twice, and every instance's books equal its
 * account.
 */
import assert from "node:assert/strict";
import { BYBIT_ORDER_LINK_ID_MAX, BybitEmulator } from "../support/bybit_emulator.ts";
import { liveData, liveKillsAndFaults } from "../support/venue_live.ts";

Deno.test("bybit live: kill -9 in the order path and a 10006 storm never duplicate an order", async () => {
  const { dir, dataDir, startMs } = await liveData("BTC", "USDT");
  await using emulator = new BybitEmulator({ startMs, speed: 1, dataDir });
  const { creates } = await liveKillsAndFaults(emulator, dir, {
    exchange: "bybit",
    symbol: "BTC/USDT",
    bookSymbol: "BTCUSDT",
    base: "BTC",
    quote: "USDT",
    balances: { USDT: 10_000 },
    createMethod: "POST",
    createPath: "/v5/order/create",
    clientIdField: "orderLinkId",
    maxClientIdLength: BYBIT_ORDER_LINK_ID_MAX,
    faults: [
      { kind: "rate_limit", method: "POST", path: "/v5/order/create", times: 2 },
      { kind: "clock_skew", method: "POST", path: "/v5/order/create", times: 1 },
      { kind: "lose_response", method: "POST", path: "/v5/order/create", times: 1 },
      { kind: "rate_limit", method: "GET", path: "/v5/order/realtime", times: 4 },
      { kind: "http_error", status: 503, method: "GET", path: "/v5/market/kline", times: 3 },
    ],
  });
  const faults = new Set(creates.map((r) => r.fault));
  for (const kind of ["rate_limit", "clock_skew", "lose_response"] as const) {
    assert.ok(faults.has(kind), `the ${kind} fault met a create`);
  }
  const lost = creates.find((r) => r.fault === "lose_response")!;
  assert.equal(
    emulator.orders().filter((o) => o.clientOrderId === lost.params.orderLinkId).length,
    1,
    "the order whose answer was lost exists once",
  );
});
