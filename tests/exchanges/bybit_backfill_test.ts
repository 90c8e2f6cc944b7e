/** The backfill task against the Bybit v5 emulator through CCXT's real `bybit` class. */
import assert from "node:assert/strict";
import { BybitEmulator } from "../support/bybit_emulator.ts";
import { backfillKilledAndResumed, backfillThroughStorm } from "../support/venue_tasks.ts";

const BTC_1H = { exchange: "bybit", symbol: "BTC/USDT", timeframe: "1h" };
const AFTER_DATA_MS = Date.UTC(2025, 7, 1);
const SAMPLE = {
  file: "binance_BTC-USDT_1h.csv",
  fromMs: Date.UTC(2024, 6, 10),
  untilMs: Date.UTC(2025, 6, 10, 17),
};

Deno.test("bybit backfill pages 1,000 candles with category=spot and resumes after SIGKILL", async () => {
  await using emulator = new BybitEmulator({ startMs: AFTER_DATA_MS });
  const { partial, total } = await backfillKilledAndResumed(emulator, {
    market: BTC_1H,
    ohlcvPath: "/v5/market/kline",
    pageSize: 1000,
    pagesBeforeKill: 3,
    since: "2024-07-10",
    until: "2025-07-10T17:00",
    sample: SAMPLE,
  });
  assert.equal(total, 8777);
  assert.ok(partial >= 3000, `${partial}`);
  const klines = emulator.requests().filter((r) => r.path === "/v5/market/kline");
  for (const r of klines) {
    assert.equal(r.params.category, "spot");
    assert.equal(r.params.interval, "60");
    assert.ok(Number(r.params.limit) <= 1000, `limit ${r.params.limit}`);
  }
});

Deno.test("bybit backfill rides out a 10006 rate-limit storm and a 502 without a gap", async () => {
  await using emulator = new BybitEmulator({ startMs: AFTER_DATA_MS });
  await backfillThroughStorm(emulator, BTC_1H, "/v5/market/kline");
});
