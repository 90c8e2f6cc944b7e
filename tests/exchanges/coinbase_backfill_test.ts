/** The backfill task against the Coinbase Advanced Trade emulator through CCXT's `coinbase` class. */
import assert from "node:assert/strict";
import { CoinbaseEmulator } from "../support/coinbase_emulator.ts";
import { backfillKilledAndResumed, backfillThroughStorm } from "../support/venue_tasks.ts";

const BTC_1H = { exchange: "coinbase", symbol: "BTC/USD", timeframe: "1h" };
const AFTER_DATA_MS = Date.UTC(2025, 7, 1);
const SAMPLE = {
  file: "binance_BTC-USDT_1h.csv",
  fromMs: Date.UTC(2024, 6, 10),
  untilMs: Date.UTC(2025, 6, 10, 17),
};

/** The bundled BTC/USDT hours served as Coinbase's BTC-USD. */
async function btcUsdData(): Promise<URL> {
  const dir = await Deno.makeTempDir({ prefix: "coinbase_data_" });
  await Deno.copyFile(
    new URL(`../../data/samples/${SAMPLE.file}`, import.meta.url),
    `${dir}/binance_BTC-USD_1h.csv`,
  );
  return new URL(`file://${dir}/`);
}

Deno.test("coinbase backfill pages 300 candles by ONE_HOUR and resumes after SIGKILL", async () => {
  const dataDir = await btcUsdData();
  await using emulator = await CoinbaseEmulator.start({ startMs: AFTER_DATA_MS, dataDir });
  const { partial, total } = await backfillKilledAndResumed(emulator, {
    market: BTC_1H,
    ohlcvPath: "/api/v3/brokerage/market/products/BTC-USD/candles",
    pageSize: 300,
    pagesBeforeKill: 5,
    since: "2024-07-10",
    until: "2025-07-10T17:00",
    sample: SAMPLE,
  });
  assert.equal(total, 8777);
  assert.ok(partial >= 1500, `${partial}`);
  const pages = emulator.requests().filter((r) => r.path.endsWith("/candles"));
  for (const r of pages) {
    assert.equal(r.params.granularity, "ONE_HOUR");
    assert.ok((Number(r.params.end) - Number(r.params.start)) / 3600 <= 300, "300 a page");
  }
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("coinbase backfill rides out a 429 storm and a 502 without a gap", async () => {
  const dataDir = await btcUsdData();
  await using emulator = await CoinbaseEmulator.start({ startMs: AFTER_DATA_MS, dataDir });
  await backfillThroughStorm(emulator, BTC_1H, "/api/v3/brokerage/market/products/BTC-USD/candles");
  await Deno.remove(dataDir, { recursive: true });
});
