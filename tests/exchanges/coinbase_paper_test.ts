/** Paper trading on the Coinbase emulator's candles: public requests only, nothing signed. */
import assert from "node:assert/strict";
import { CoinbaseEmulator } from "../support/coinbase_emulator.ts";
import { paperRun } from "../support/venue_tasks.ts";

Deno.test("coinbase paper trading trades on the emulator's candles, signs nothing, stops on SIGTERM", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "coinbase_data_" });
  await Deno.copyFile(
    new URL("../../data/samples/binance_BTC-USDT_1h.csv", import.meta.url),
    `${dataDir}/binance_BTC-USD_1h.csv`,
  );
  await using emulator = await CoinbaseEmulator.start({
    startMs: Date.UTC(2024, 7, 1, 0, 30),
    dataDir: new URL(`file://${dataDir}/`),
  });
  const run = await paperRun(emulator, {
    exchange: "coinbase",
    symbol: "BTC/USD",
    keys: emulator.defaultKey,
    candles: 24,
  });
  const paths = new Set(run.requests.map((r) => r.path));
  assert.ok(paths.has("/api/v3/brokerage/market/products"), "markets were loaded");
  assert.ok(paths.has("/api/v3/brokerage/market/products/BTC-USD/candles"), "candles fetched");
  const signed = run.requests.filter((r) => r.signed || r.hasApiKey);
  assert.deepEqual(signed.map((r) => `${r.method} ${r.path}`), [], "signed requests");
  assert.equal(emulator.orders().length, 0, "orders at the exchange");
  assert.ok(run.trades.length >= 2, `expected closed trades, got ${run.trades.length}`);
  assert.equal(run.row.status, "stopped");
  for (const o of run.orders) {
    assert.match(o.clientOrderId, /^paper-coinbase-[0-9a-z]+-[exstrn][0-9a-z]+$/);
  }
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("coinbase: the seed config btc-coinbase-1h runs in paper mode on the emulator's candles", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "coinbase_data_" });
  await Deno.copyFile(
    new URL("../../data/samples/binance_BTC-USDT_1h.csv", import.meta.url),
    `${dataDir}/binance_BTC-USD_1h.csv`,
  );
  const seed = await Deno.readTextFile(
    new URL("../../config/strategies/btc-coinbase-1h.yaml", import.meta.url),
  );
  await using emulator = await CoinbaseEmulator.start({
    startMs: Date.UTC(2024, 7, 1, 0, 30),
    dataDir: new URL(`file://${dataDir}/`),
  });
  const run = await paperRun(emulator, {
    exchange: "coinbase",
    symbol: "BTC/USD",
    keys: emulator.defaultKey,
    candles: 6,
    configBody: seed.replace(/^name: .*\n/m, ""),
  });
  const candles = run.requests.filter((r) => r.path.endsWith("/candles"));
  assert.ok(candles.length > 0);
  assert.ok(candles.every((r) => r.params.granularity === "ONE_HOUR"));
  assert.deepEqual(run.requests.filter((r) => r.signed || r.hasApiKey), []);
  assert.equal(run.row.status, "stopped");
  await Deno.remove(dataDir, { recursive: true });
});
