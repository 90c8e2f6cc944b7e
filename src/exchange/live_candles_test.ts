/**
 * `CcxtMarketDataFeed.candles()` over CCXT Pro's real `watchOHLCV` against the emulator's kline
 * stream. The market clock moves only when a test moves it; the feed's clock waits for it.
 */
import assert from "node:assert/strict";
import { abortableDelay } from "../core/clock.ts";
import type { Clock } from "../core/ports.ts";
import type { Candle } from "../core/types.ts";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import {
  emulatorClient,
  followingClock,
  RecordingLogger,
} from "../../tests/support/exchange_harness.ts";
import { CcxtMarketDataFeed } from "./ccxt_feed.ts";
import { createExchange } from "./exchange_client.ts";
import { canWatchOhlcv } from "./ohlcv_stream.ts";

const MINUTE = 60_000;
const START = Date.UTC(2023, 3, 1); // inside data/samples/binance_BTC-USDT_1m.csv
const MARKET = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" };

/** Reads the emulator's market time; sleeping waits until the test has moved it that far. */
function waitingClock(emulator: BinanceEmulator): Clock {
  return {
    nowMs: () => emulator.clock.nowMs(),
    async sleepUntil(timeMs, signal) {
      while (emulator.clock.nowMs() < timeMs) await abortableDelay(5, signal);
    },
  };
}

/** Resolves once `condition` holds; fails instead of hanging the test. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000 && !condition(); i++) await abortableDelay(5);
  if (!condition()) throw new Error(`gave up waiting for ${what}`);
}

function setup(startMs: number, options: { stream?: boolean } = {}) {
  const emulator = new BinanceEmulator({ startMs });
  const logger = new RecordingLogger();
  const client = emulatorClient(emulator, { logger });
  const feed = new CcxtMarketDataFeed(client, MARKET, {
    clock: waitingClock(emulator),
    closeDelayMs: 2_000,
    stream: options.stream,
  });
  const seen: { candle: Candle; marketNowMs: number }[] = [];
  const subscribed = () => emulator.streams.subscriptions().includes("btcusdt@kline_1m");
  /** Moves to the next candle boundary once subscribed; resolves when the feed yielded it. */
  const closeOneByStream = async () => {
    const count = seen.length;
    await until(subscribed, "the kline subscription");
    emulator.advanceCandles(1, "1m");
    await until(() => seen.length > count, "the candle from the stream");
  };
  const klines = () => emulator.requests().filter((r) => r.path === "/api/v3/klines");
  const streamWarnings = () =>
    logger.at("warn").filter((l) => l.message.startsWith("Candle stream from"));
  return { emulator, feed, seen, subscribed, closeOneByStream, klines, streamWarnings, logger };
}

/** Consumes `feed.candles(sinceMs)` while `drive` moves the market; `drive` ends the run. */
async function run(
  t: ReturnType<typeof setup>,
  sinceMs: number,
  drive: () => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const driver = drive().finally(() => stop.abort());
  for await (const candle of t.feed.candles(sinceMs, stop.signal)) {
    t.seen.push({ candle, marketNowMs: t.emulator.clock.nowMs() });
  }
  await driver;
}

function openTimes(seen: { candle: Candle }[]): number[] {
  return seen.map((s) => (s.candle.openTimeMs - START) / MINUTE);
}

Deno.test("CcxtMarketDataFeed candles() streams closed candles once, in order, without polling", async () => {
  const t = setup(START + 3 * MINUTE + 5_000);
  await using _ = t.emulator;
  await run(t, START, async () => {
    await until(() => t.seen.length === 3, "the history by REST");
    for (let i = 0; i < 5; i++) await t.closeOneByStream();
  });
  assert.deepEqual(openTimes(t.seen), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(t.klines().length, 1, "one REST page for the history, then only the stream");
  for (const { candle, marketNowMs } of t.seen) {
    assert.ok(marketNowMs >= candle.openTimeMs + MINUTE, "the open candle never leaves");
  }
  // What the stream delivered is each candle's final state, the same as REST serves it now.
  const rest = await t.feed.fetchCandles(START, START + 8 * MINUTE);
  assert.deepEqual(t.seen.map((s) => s.candle), rest.candles);
  assert.ok(t.logger.at("info").some((l) => l.message.startsWith("Streaming {symbol}")));
  assert.equal(t.streamWarnings().length, 0);
});

Deno.test("CcxtMarketDataFeed candles() polls through a dropped stream and reconnects, no gap or duplicate", async () => {
  const t = setup(START + 3 * MINUTE + 5_000);
  await using _ = t.emulator;
  let afterReconnectId = 0;
  await run(t, START, async () => {
    await until(() => t.seen.length === 3, "the history by REST");
    for (let i = 0; i < 2; i++) await t.closeOneByStream();
    assert.equal(t.emulator.streams.drop(), 1);
    await until(() => t.streamWarnings().length > 0, "the feed noticing the drop");
    // Three candles close while the stream is down, and their poll time passes.
    t.emulator.clock.set(START + 8 * MINUTE + 3_000);
    await until(() => t.seen.length === 8, "the candles polled by REST");
    t.emulator.clock.advance(1_000); // past the first reconnect delay
    await until(t.subscribed, "the stream to reconnect");
    afterReconnectId = t.emulator.requests().at(-1)!.id;
    for (let i = 0; i < 3; i++) await t.closeOneByStream();
  });
  assert.deepEqual(openTimes(t.seen), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.match(
    t.streamWarnings()[0].message,
    /^Candle stream from \{exchange\} failed; polling until it reconnects/,
  );
  assert.deepEqual(t.streamWarnings().map((l) => l.properties?.delayMs), [1_000]);
  const opens = t.emulator.streams.records().filter((r) => r.event === "open");
  assert.equal(opens.length, 2, "one reconnect");
  assert.ok(t.klines().length >= 2, "the candles missed while down came by REST");
  assert.equal(t.klines().filter((r) => r.id > afterReconnectId).length, 0, "stream again");
  const rest = await t.feed.fetchCandles(START, START + 11 * MINUTE);
  assert.deepEqual(t.seen.map((s) => s.candle), rest.candles);
});

Deno.test("CcxtMarketDataFeed candles() takes a candle cut by a drop whole from REST, not its stale stream row", async () => {
  const t = setup(START + 3 * MINUTE + 5_000);
  await using _ = t.emulator;
  await run(t, START, async () => {
    await until(() => t.logger.at("info").some((l) => l.message.startsWith("Streaming")), "rows");
    t.emulator.streams.drop(); // candle 3 is 5 s old: its rows so far are partial
    await until(() => t.streamWarnings().length > 0, "the feed noticing the drop");
    // Back before candle 3's poll time: the new stream opens at candle 4.
    t.emulator.clock.set(START + 4 * MINUTE + 1_500);
    await until(() => t.seen.length === 4, "candle 3");
  });
  assert.deepEqual(openTimes(t.seen), [0, 1, 2, 3]);
  const rest = await t.feed.fetchCandles(START, START + 4 * MINUTE);
  assert.deepEqual(t.seen.map((s) => s.candle), rest.candles);
  assert.equal(t.emulator.streams.records().filter((r) => r.event === "open").length, 2);
});

Deno.test("CcxtMarketDataFeed candles() backs off while the stream endpoint refuses, polling meanwhile", async () => {
  const t = setup(START + 3 * MINUTE + 5_000);
  await using _ = t.emulator;
  await run(t, START, async () => {
    await until(() => t.seen.length === 3, "the history by REST");
    t.emulator.streams.refuse(true);
    t.emulator.streams.drop();
    for (let i = 0; i < 4; i++) {
      await until(() => t.streamWarnings().length > i, `failure ${i + 1}`);
      const { delayMs } = t.streamWarnings().at(-1)!.properties as { delayMs: number };
      t.emulator.clock.advance(delayMs); // due for the next attempt, and a candle closes
    }
    t.emulator.streams.refuse(false);
    t.emulator.clock.advance(2 * MINUTE); // now 5m20s: candles 3 and 4 are due for a poll
    await until(() => t.seen.length === 5, "the candles polled while the stream was down");
    await until(t.subscribed, "the stream to come back");
    await t.closeOneByStream();
  });
  const delays = t.streamWarnings().map((l) => l.properties?.delayMs);
  assert.deepEqual(delays.slice(0, 4), [1_000, 2_000, 4_000, 8_000]);
  assert.deepEqual(openTimes(t.seen), [0, 1, 2, 3, 4, 5]);
  const refused = t.emulator.streams.records().filter((r) => r.event === "refused");
  assert.ok(refused.length >= 3);
});

Deno.test("CcxtMarketDataFeed candles() polls when streaming is off or the exchange cannot stream", async () => {
  assert.equal(canWatchOhlcv(createExchange("coinbase")), false, "coinbase has no watchOHLCV");
  const coinbase = new CcxtMarketDataFeed(createExchange("coinbase"), MARKET, {
    clock: { nowMs: () => START, sleepUntil: () => Promise.resolve() },
  });
  assert.equal(coinbase.streams, false);

  await using emulator = new BinanceEmulator({ startMs: START + 2 * MINUTE + 5 });
  const client = emulatorClient(emulator);
  assert.equal(canWatchOhlcv(client), true);
  const feed = new CcxtMarketDataFeed(client, MARKET, {
    clock: followingClock(emulator),
    stream: false,
  });
  assert.equal(feed.streams, false);
  const stop = new AbortController();
  const seen: number[] = [];
  for await (const candle of feed.candles(START, stop.signal)) {
    seen.push((candle.openTimeMs - START) / MINUTE);
    if (seen.length === 6) stop.abort();
  }
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
  assert.equal(emulator.streams.records().length, 0, "no stream connection");
  assert.ok(emulator.requests().filter((r) => r.path === "/api/v3/klines").length >= 4);
});
