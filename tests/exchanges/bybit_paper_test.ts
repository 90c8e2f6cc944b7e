/** Paper trading on the Bybit v5 emulator's candles: public requests only, nothing signed. */
import assert from "node:assert/strict";
import { BYBIT_API_KEY, BYBIT_API_SECRET, BybitEmulator } from "../support/bybit_emulator.ts";
import { paperRun } from "../support/venue_tasks.ts";

Deno.test("bybit paper trading trades on the emulator's klines, signs nothing, stops on SIGTERM", async () => {
  await using emulator = new BybitEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  const run = await paperRun(emulator, {
    exchange: "bybit",
    symbol: "BTC/USDT",
    keys: { apiKey: BYBIT_API_KEY, secret: BYBIT_API_SECRET },
    candles: 24,
  });
  const paths = new Set(run.requests.map((r) => r.path));
  assert.ok(paths.has("/v5/market/instruments-info"), "markets were loaded");
  assert.ok(paths.has("/v5/market/kline"), "candles were fetched");
  assert.ok(
    run.requests.filter((r) => r.path === "/v5/market/kline").every((r) =>
      r.params.category === "spot" && r.params.symbol === "BTCUSDT"
    ),
  );
  const signed = run.requests.filter((r) => r.signed || r.hasApiKey);
  assert.deepEqual(signed.map((r) => `${r.method} ${r.path}`), [], "signed or keyed requests");
  assert.equal(emulator.orders().length, 0, "orders at the exchange");
  assert.ok(run.trades.length >= 2, `expected closed trades, got ${run.trades.length}`);
  assert.equal(run.row.status, "stopped");
  for (const o of run.orders) {
    assert.match(o.clientOrderId, /^paper-bybit-[0-9a-z]+-[exstrn][0-9a-z]+$/);
  }
});

Deno.test("bybit: the seed config avax-bybit-2h runs in paper mode on the emulator's 2h klines", async () => {
  // AVAX/USDT hours: the bundled BTC/USDT ones scaled to AVAX's price.
  const dataDir = await Deno.makeTempDir({ prefix: "bybit_data_" });
  const btc = await Deno.readTextFile(
    new URL("../../data/samples/binance_BTC-USDT_1h.csv", import.meta.url),
  );
  const avax = btc.trim().split("\n").map((line, i) => {
    if (i === 0) return line;
    const [t, ...values] = line.split(",");
    const [o, h, l, c, v] = values.map(Number);
    return [t, o / 2000, h / 2000, l / 2000, c / 2000, v * 2000].map(String).join(",");
  });
  await Deno.writeTextFile(`${dataDir}/binance_AVAX-USDT_1h.csv`, avax.join("\n") + "\n");
  const seed = await Deno.readTextFile(
    new URL("../../config/strategies/avax-bybit-2h.yaml", import.meta.url),
  );
  await using emulator = new BybitEmulator({
    startMs: Date.UTC(2024, 8, 1, 0, 30),
    dataDir: new URL(`file://${dataDir}/`),
  });
  const run = await paperRun(emulator, {
    exchange: "bybit",
    symbol: "AVAX/USDT",
    keys: { apiKey: BYBIT_API_KEY, secret: BYBIT_API_SECRET },
    candles: 6,
    configBody: seed.replace(/^name: .*\n/m, ""),
    timeframe: "2h",
  });
  const klines = run.requests.filter((r) => r.path === "/v5/market/kline");
  assert.ok(klines.length > 0);
  assert.ok(klines.every((r) => r.params.symbol === "AVAXUSDT" && r.params.interval === "120"));
  assert.deepEqual(run.requests.filter((r) => r.signed || r.hasApiKey), []);
  assert.equal(run.row.status, "stopped");
  await Deno.remove(dataDir, { recursive: true });
});
