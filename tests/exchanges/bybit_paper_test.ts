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
