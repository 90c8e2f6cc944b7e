/**
 * A five-minute exchange outage and the recovery after it, in fake time: the wall clock (which
 * the emulator's fault window, CCXT and our retries read) and the market clock move together
 * whenever the code under test sleeps, so five minutes pass in well under a second.
 */
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { TransientExchangeError } from "../core/errors.ts";
import type { Clock } from "../core/ports.ts";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import { emulatorClient, RecordingLogger } from "../../tests/support/exchange_harness.ts";
import { CcxtMarketDataFeed } from "./ccxt_feed.ts";
import { CcxtExecutionClient } from "./ccxt_execution_client.ts";
import { loadMarketCatalog } from "./market_catalog.ts";

const MINUTE = 60_000;
const START = Date.UTC(2023, 3, 1); // inside data/samples/binance_BTC-USDT_1m.csv
const OUTAGE_MS = 5 * MINUTE;
const MARKET = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" };

function seededRng(seed: number): () => number {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

Deno.test("a 5-minute outage: no candle lost or doubled, no order sent blind, calm polling, recovery", async () => {
  await using emulator = new BinanceEmulator({ startMs: START + 30_000 });
  const fake = FakeTimers.install({ toFake: ["Date"], now: Date.now() });
  try {
    const pass = (ms: number) => {
      fake.setSystemTime(Date.now() + ms);
      emulator.clock.advance(ms);
    };
    const clock: Clock = {
      nowMs: () => emulator.clock.nowMs(),
      sleepUntil: (
        timeMs,
      ) => (pass(Math.max(0, timeMs - emulator.clock.nowMs())), Promise.resolve()),
    };
    const retry = { sleep: (ms: number) => (pass(ms), Promise.resolve()), rng: seededRng(10) };
    const logger = new RecordingLogger();
    const client = emulatorClient(emulator, {
      keys: true,
      logger,
      retry: { ...retry, baseDelayMs: 500, capMs: 30_000 },
    });
    const catalog = await loadMarketCatalog(client, { nowMs: clock.nowMs() });
    // A known last price: the order goes straight to the create request.
    const execution = new CcxtExecutionClient(client, catalog, { clock, lastPrice: () => 28_000 });
    const feed = new CcxtMarketDataFeed(client, MARKET, { clock, closeDelayMs: 2_000 });
    const order = {
      symbol: "BTC/USDT",
      side: "buy",
      type: "market",
      baseAmount: 0.01,
      price: null,
      clientOrderId: "outage-1",
    } as const;

    const seen: { openTimeMs: number; wallMs: number }[] = [];
    let outage: { fromMs: number; toMs: number; firstRequestId: number } | null = null;
    let blindOrder: unknown = null;
    const stop = new AbortController();
    for await (const candle of feed.candles(START - 5 * MINUTE, stop.signal)) {
      seen.push({ openTimeMs: candle.openTimeMs, wallMs: Date.now() });
      if (seen.length === 5) {
        const lastId = emulator.requests().at(-1)!.id;
        emulator.addFault({ kind: "http_error", status: 503, forMs: OUTAGE_MS });
        outage = { fromMs: Date.now(), toMs: Date.now() + OUTAGE_MS, firstRequestId: lastId + 1 };
        blindOrder = await execution.submit(order).catch((error: unknown) => error);
      }
      if (candle.openTimeMs >= START + 10 * MINUTE) stop.abort();
    }
    assert.ok(outage);
    // During the outage: sent once, unconfirmed, the lookup fails too: a transient error for the
    // order manager to reconcile later; never sent a second time.
    assert.ok(blindOrder instanceof TransientExchangeError, String(blindOrder));
    const posts = emulator.requests().filter((r) => r.method === "POST");
    assert.deepEqual(posts.map((r) => r.status), [503]);
    assert.equal(emulator.orders().length, 0);
    // After it: the same order goes through once.
    assert.equal((await execution.submit(order)).status, "filled");
    assert.equal(emulator.orders().length, 1);

    const times = seen.map((s) => (s.openTimeMs - START) / MINUTE);
    assert.deepEqual(
      times,
      Array.from({ length: times.length }, (_, i) => i - 5),
      "contiguous, once each",
    );
    const firstBack = seen.find((s) => s.wallMs >= outage!.toMs)!;
    const during = emulator.requests().filter((r) =>
      r.id >= outage!.firstRequestId && r.wallTimeMs < outage!.toMs
    );
    const recoveryMs = firstBack.wallMs - outage.toMs;
    // deno-lint-ignore no-console
    console.log(
      `outage 5 min: ${during.length} requests during it (${
        (during.length / 300).toFixed(2)
      }/s), ` +
        `first candle ${recoveryMs} ms after it ended, ${seen.length} candles, 0 lost, 0 doubled`,
    );
    // The five candles that closed while it was down all arrive once it is back.
    assert.ok(seen.slice(5).every((s) => s.wallMs >= outage!.toMs));
    assert.ok(during.length / (OUTAGE_MS / 1000) <= 1, "at most one request a second while down");
    assert.ok(during.every((r) => r.status === 503));
    assert.ok(recoveryMs <= 30_000, `back within a poll and a backoff (${recoveryMs} ms)`);
    assert.ok(logger.at("warn").some((l) => l.message.startsWith("Candle poll failed")));
  } finally {
    fake.uninstall();
  }
});
