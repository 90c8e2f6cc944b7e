import assert from "node:assert/strict";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import {
  emulatorClient,
  followingClock,
  RecordingLogger,
} from "../../tests/support/exchange_harness.ts";
import { CcxtMarketDataFeed, fetchCandles } from "./ccxt_feed.ts";

const HOUR = 3_600_000;
const START = Date.UTC(2024, 6, 10); // first candle of data/samples/binance_BTC-USDT_1h.csv
const MARKET = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };

function setup(nowMs: number) {
  const emulator = new BinanceEmulator({ startMs: nowMs });
  const feed = new CcxtMarketDataFeed(emulatorClient(emulator), MARKET, {
    clock: followingClock(emulator),
  });
  return { emulator, feed };
}

Deno.test("CcxtMarketDataFeed pages through 2,500 candles at CCXT's limit", async () => {
  const { emulator, feed } = setup(START + 2_500 * HOUR + 30 * 60_000);
  await using _ = emulator;
  const pages: number[] = [];
  const result = await feed.fetchCandles(START, Infinity, {
    onPage: (p) => void pages.push(p.candles.length),
  });
  assert.equal(feed.pageLimit, 1000);
  assert.deepEqual(pages, [1000, 1000, 500]);
  assert.equal(result.candles.length, 2_500);
  assert.equal(result.candles[0].openTimeMs, START);
  assert.equal(result.candles.at(-1)!.openTimeMs, START + 2_499 * HOUR);
  assert.ok(result.candles.every((c, i) => c.openTimeMs === START + i * HOUR));
  const klines = emulator.requests().filter((r) => r.path === "/api/v3/klines");
  assert.deepEqual(klines.map((r) => r.params.limit), ["1000", "1000", "1000"]);
  assert.equal(klines.filter((r) => r.signed || r.hasApiKey).length, 0);
});

Deno.test("CcxtMarketDataFeed drops the still-open candle the exchange returns", async () => {
  const { emulator, feed } = setup(START + 10 * HOUR + 20 * 60_000);
  await using _ = emulator;
  const result = await feed.fetchCandles(START, Infinity);
  assert.equal(result.candles.length, 10);
  const served = await (await fetch(
    `${emulator.url}/api/v3/klines?symbol=BTCUSDT&interval=1h&startTime=${START}`,
  )).json();
  assert.equal(served.length, 11, "the emulator does serve the open candle");
  assert.equal(served[10][0], START + 10 * HOUR);
});

Deno.test("CcxtMarketDataFeed reports an invalid candle and does not repair it", async () => {
  const { emulator, feed } = setup(START + 5 * HOUR + 1);
  await using _ = emulator;
  emulator.patchCandle("BTCUSDT", "1h", START + 2 * HOUR, { high: 1 });
  const result = await feed.fetchCandles(START, Infinity);
  assert.deepEqual(result.candles.map((c) => (c.openTimeMs - START) / HOUR), [0, 1, 3, 4]);
  assert.equal(result.invalid.length, 1);
  assert.match(result.invalid[0].reason, /^high is below low \(high 1, low [0-9.]+\)$/);
});

Deno.test("CcxtMarketDataFeed retries a malformed page and then returns the data", async () => {
  const { emulator, feed } = setup(START + 5 * HOUR + 1);
  await using _ = emulator;
  emulator.addFault({ kind: "malformed_json", path: "/api/v3/klines" });
  const result = await feed.fetchCandles(START, Infinity);
  assert.equal(result.candles.length, 5);
  assert.deepEqual(
    emulator.requests().filter((r) => r.path === "/api/v3/klines").map((r) => r.fault),
    ["malformed_json", null],
  );
});

Deno.test("CcxtMarketDataFeed candles() yields each candle only after it closed", async () => {
  const { emulator, feed } = setup(START + 3 * HOUR + 5);
  await using _ = emulator;
  const controller = new AbortController();
  const seen: [number, number][] = [];
  for await (const candle of feed.candles(START + HOUR, controller.signal)) {
    seen.push([candle.openTimeMs, emulator.clock.nowMs()]);
    if (seen.length === 6) controller.abort();
  }
  assert.deepEqual(seen.map(([t]) => (t - START) / HOUR), [1, 2, 3, 4, 5, 6]);
  for (const [openTimeMs, nowMs] of seen) assert.ok(nowMs >= openTimeMs + HOUR);
});

Deno.test("fetchCandles stops before untilMs", async () => {
  await using emulator = new BinanceEmulator({ startMs: START + 50 * HOUR });
  const result = await fetchCandles(emulatorClient(emulator), MARKET, {
    clock: followingClock(emulator),
    sinceMs: START + 10 * HOUR,
    untilMs: START + 20 * HOUR,
  });
  assert.deepEqual(result.candles.map((c) => (c.openTimeMs - START) / HOUR), [
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
  ]);
});

Deno.test("CcxtMarketDataFeed candles() keeps polling through an outage longer than its retries", async () => {
  await using emulator = new BinanceEmulator({ startMs: START + 2 * HOUR + 5 });
  const logger = new RecordingLogger();
  const client = emulatorClient(emulator, { logger, retry: { maxAttempts: 2 } });
  const feed = new CcxtMarketDataFeed(client, MARKET, { clock: followingClock(emulator) });
  emulator.addFault({ kind: "http_error", path: "/api/v3/klines", status: 503, times: 3 });
  const controller = new AbortController();
  const seen: number[] = [];
  for await (const candle of feed.candles(START, controller.signal)) {
    seen.push((candle.openTimeMs - START) / HOUR);
    if (seen.length === 3) controller.abort();
  }
  assert.deepEqual(seen, [0, 1, 2]);
  assert.equal(
    logger.at("warn").filter((l) => l.message.startsWith("Candle poll failed")).length,
    1,
  );
});
