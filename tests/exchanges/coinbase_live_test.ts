/**
 * Live trading on the Coinbase Advanced Trade emulator through CCXT's real `coinbase` class, each
 * trader with its own CDP key (ES256 JWTs): kill -9 at three points of the order path, a storm of
 * 429s on creates and order lists, and a lost create response never put an intent on the exchange
 * twice, and every instance's books equal its account.
 */
import assert from "node:assert/strict";
import { COINBASE_CLIENT_ID_MAX, CoinbaseEmulator } from "../support/coinbase_emulator.ts";
import { liveData, liveKillsAndFaults } from "../support/venue_live.ts";

Deno.test("coinbase live: kill -9 in the order path and a 429 storm never duplicate an order", async () => {
  const { dir, dataDir, startMs } = await liveData("BTC", "USD");
  await using emulator = await CoinbaseEmulator.start({ startMs, speed: 1, dataDir });
  const { creates } = await liveKillsAndFaults(emulator, dir, {
    exchange: "coinbase",
    symbol: "BTC/USD",
    bookSymbol: "BTCUSD",
    base: "BTC",
    quote: "USD",
    balances: { USD: 10_000 },
    createMethod: "POST",
    createPath: "/api/v3/brokerage/orders",
    clientIdField: "client_order_id",
    maxClientIdLength: COINBASE_CLIENT_ID_MAX,
    newAccount: (balances) => emulator.newAccount(balances),
    faults: [
      { kind: "rate_limit", method: "POST", path: "/api/v3/brokerage/orders", times: 2 },
      { kind: "lose_response", method: "POST", path: "/api/v3/brokerage/orders", times: 1 },
      {
        kind: "rate_limit",
        method: "GET",
        path: "/api/v3/brokerage/orders/historical/batch",
        times: 4,
      },
      {
        kind: "http_error",
        status: 503,
        method: "GET",
        path: "/api/v3/brokerage/market/products/BTC-USD/candles",
        times: 3,
      },
    ],
  });
  const faults = new Set(creates.map((r) => r.fault));
  for (const kind of ["rate_limit", "lose_response"] as const) {
    assert.ok(faults.has(kind), `the ${kind} fault met a create`);
  }
  const lost = creates.find((r) => r.fault === "lose_response")!;
  assert.equal(
    emulator.orders().filter((o) => o.clientOrderId === lost.params.client_order_id).length,
    1,
    "the order whose answer was lost exists once",
  );
  for (const create of creates) {
    assert.match(create.params.order_configuration, /market_market_ioc/);
  }
});
