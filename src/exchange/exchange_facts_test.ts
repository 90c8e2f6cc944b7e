import assert from "node:assert/strict";
import { exchangeApiHosts } from "./exchange_client.ts";
import { exchangeFacts } from "./exchange_facts.ts";

Deno.test("exchangeFacts reads each seed exchange's timeframes, testnet and page size from CCXT", () => {
  const coinbase = exchangeFacts("coinbase")!;
  assert.deepEqual(coinbase.timeframes, ["1m", "5m", "15m", "30m", "1h", "2h", "6h", "1d"]);
  assert.equal(coinbase.hasSandbox, false);
  assert.equal(coinbase.ohlcvPageLimit, 300);
  assert.equal(coinbase.ohlcvWindow, null);
  assert.equal(coinbase.hasStopMarket, false, "CCXT's coinbase class sends stop-limit orders only");

  const kraken = exchangeFacts("kraken")!;
  assert.deepEqual(kraken.timeframes, ["1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w", "2w"]);
  assert.equal(kraken.hasSandbox, false);
  assert.equal(kraken.ohlcvPageLimit, 720);
  assert.equal(kraken.ohlcvWindow, 720);
  assert.equal(kraken.hasStopMarket, true);

  const bybit = exchangeFacts("bybit")!;
  assert.equal(bybit.hasSandbox, true);
  assert.equal(bybit.ohlcvPageLimit, 1000);
  assert.ok(bybit.timeframes!.includes("2h") && !bybit.timeframes!.includes("8h"));

  const binance = exchangeFacts("binance")!;
  assert.equal(binance.hasSandbox, true);
  assert.equal(binance.ohlcvPageLimit, 1000);
  assert.ok(binance.timeframes!.includes("8h"));
});

Deno.test("exchangeFacts is null for an id CCXT does not know", () => {
  assert.equal(exchangeFacts("bench"), null);
  assert.strictEqual(exchangeFacts("kraken"), exchangeFacts("kraken"), "built once per id");
});

Deno.test("the trade permission set reaches the testnet of each seed exchange that has one", async () => {
  const denoJson = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const allowed = new Set<string>(denoJson.permissions.trade.net);
  for (const id of ["binance", "bybit"]) {
    assert.equal(exchangeFacts(id)!.hasSandbox, true);
    // Spot only: the futures testnet hosts Binance's class also lists are never called.
    const hosts = exchangeApiHosts(id, { sandbox: true }).filter((h) => !h.includes("future"));
    for (const host of hosts) assert.ok(allowed.has(host), `${id} testnet host ${host}`);
  }
});
