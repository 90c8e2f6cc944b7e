import assert from "node:assert/strict";
import type { Clock } from "../core/ports.ts";
import type { MarketRef } from "../core/types.ts";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import { emulatorClient, followingClock } from "../../tests/support/exchange_harness.ts";
import { backfillRange, type DateBounds } from "./backfill_range.ts";
import { exchangeBatch } from "./exchange_batch.ts";
import { runBackfill } from "./run_backfill.ts";
import type { Store } from "../storage/mod.ts";
import { parseTimeframe } from "../timeframes/mod.ts";
import {
  assertStoredEqualsSample,
  RecordingProgress,
} from "../../tests/support/backfill_fixtures.ts";
import { sampleRows } from "../../tests/support/sample_candles.ts";
import { tempStore } from "../../tests/support/temp_store.ts";

const BTC_1H: MarketRef = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };
const BTC_5M: MarketRef = { exchange: "binance", symbol: "BTC/USDT", timeframe: "5m" };
const FILE_1H = "binance_BTC-USDT_1h.csv";
const YEAR_FROM = Date.UTC(2024, 6, 10);
/** Exclusive end: the 1h sample's last candle opens at 2025-07-10 16:00. */
const YEAR_UNTIL = Date.UTC(2025, 6, 10, 17);
/** After every bundled candle, so all of them have closed. */
const AFTER_DATA_MS = Date.UTC(2025, 7, 1);

async function backfillOnce(
  emulator: BinanceEmulator,
  store: Store,
  market: MarketRef,
  options: {
    bounds: DateBounds;
    clock?: Clock;
    progress?: RecordingProgress;
    pageLimit?: number;
    signal?: AbortSignal;
  },
) {
  const clock = options.clock ?? followingClock(emulator);
  const range = backfillRange(market, options.bounds, {
    timeframe: parseTimeframe(market.timeframe),
    nowMs: clock.nowMs(),
    lastStoredMs: store.candles.bounds(market)?.lastMs ?? null,
  });
  const client = emulatorClient(emulator);
  const batch = exchangeBatch(client, [{ market, range }], { clock, pageLimit: options.pageLimit });
  const progress = options.progress ?? new RecordingProgress();
  const [summary] = await runBackfill([batch], { store, clock, progress, signal: options.signal });
  return summary;
}

function klineRequests(emulator: BinanceEmulator, sinceId = 0) {
  return emulator.requests(sinceId).filter((r) => r.path === "/api/v3/klines");
}

Deno.test("backfill downloads a year of 1h candles in pages, and a second run adds nothing", async () => {
  await using emulator = new BinanceEmulator({ startMs: AFTER_DATA_MS });
  const { store } = await tempStore();
  const bounds = { sinceMs: YEAR_FROM, untilMs: YEAR_UNTIL };
  const first = await backfillOnce(emulator, store, BTC_1H, { bounds });
  assert.equal(first.status, "done");
  assert.equal(first.added, 8777);
  assert.equal(first.pages, 9); // CCXT's Binance limit: 1000 candles per request
  assert.equal(klineRequests(emulator).length, 9);
  assert.deepEqual([first.gapsFound, first.gapsRemaining], [[], []]);
  assertStoredEqualsSample(store, BTC_1H, {
    file: FILE_1H,
    fromMs: YEAR_FROM,
    untilMs: YEAR_UNTIL,
  });
  const second = await backfillOnce(emulator, store, BTC_1H, { bounds });
  assert.deepEqual([second.added, second.corrected, second.unchanged], [0, 0, 8777]);
  assert.equal(store.candles.bounds(BTC_1H)?.count, 8777);
  const resume = await backfillOnce(emulator, store, BTC_1H, {
    bounds: { sinceMs: null, untilMs: YEAR_UNTIL },
  });
  assert.equal(resume.status, "up to date");
  store.close();
});

Deno.test("backfill reports and records exactly the gaps the source has, and re-requests them once", async () => {
  await using emulator = new BinanceEmulator({ startMs: AFTER_DATA_MS });
  const { store } = await tempStore();
  const bounds = { sinceMs: Date.UTC(2020, 11, 1), untilMs: Date.UTC(2021, 6, 17, 21, 10) };
  const summary = await backfillOnce(emulator, store, BTC_5M, { bounds });
  const minute = (iso: string) => Date.parse(`${iso}:00Z`);
  // SOURCES.md lists the last candle before and the first after each gap.
  const expected = [
    ["2020-12-21T14:10", "2020-12-21T17:55", 46],
    ["2020-12-25T02:00", "2020-12-25T02:55", 12],
    ["2021-02-11T03:45", "2021-02-11T04:55", 15],
    ["2021-03-06T02:00", "2021-03-06T03:25", 18],
    ["2021-04-20T02:00", "2021-04-20T04:25", 30],
    ["2021-04-25T04:05", "2021-04-25T08:40", 56],
  ].map(([from, to, missing]) => ({
    fromMs: minute(from as string),
    toMs: minute(to as string),
    missing,
  }));
  assert.deepEqual(summary.gapsFound, expected);
  assert.equal(summary.gapsFound.reduce((n, g) => n + g.missing, 0), 177);
  assert.equal(summary.gapsRerequested, 6);
  assert.deepEqual(summary.gapsRemaining, expected);
  assert.equal(summary.added, 65741);
  const recorded = store.gaps.list(BTC_5M);
  assert.deepEqual(
    recorded.map(({ fromMs, toMs, missing }) => ({ fromMs, toMs, missing })),
    expected,
  );
  assert.ok(recorded.every((gap) => gap.confirmedMs !== null));
  // Known gaps are not requested again: the second run only sweeps.
  const before = emulator.requests().at(-1)!.id;
  const again = await backfillOnce(emulator, store, BTC_5M, { bounds });
  assert.equal(again.gapsRerequested, 0);
  assert.deepEqual(again.gapsRemaining, expected);
  assert.equal(klineRequests(emulator, before).length, again.pages);
  store.close();
});

Deno.test("backfill survives a 429 storm and shows the retry wait", async () => {
  await using emulator = new BinanceEmulator({ startMs: AFTER_DATA_MS });
  const { store } = await tempStore();
  const progress = new RecordingProgress();
  let stormed = false;
  progress.onAdvance = () => {
    if (stormed) return;
    stormed = true;
    emulator.addFault({ kind: "rate_limit", path: "/api/v3/klines", times: 4, retryAfterSec: 1 });
  };
  const bounds = { sinceMs: YEAR_FROM, untilMs: Date.UTC(2024, 9, 10) };
  const summary = await backfillOnce(emulator, store, BTC_1H, { bounds, progress, pageLimit: 500 });
  assert.equal(summary.status, "done");
  assert.equal(klineRequests(emulator).filter((r) => r.status === 429).length, 4);
  const waits = progress.events.filter((e) => e.kind === "retrying");
  assert.equal(waits.length, 4);
  assert.ok(waits.every((e) => e.kind === "retrying" && e.delayMs >= 1000));
  assertStoredEqualsSample(store, BTC_1H, {
    file: FILE_1H,
    fromMs: YEAR_FROM,
    untilMs: Date.UTC(2024, 9, 10),
  });
  store.close();
});

Deno.test("backfill never stores the still-open candle, and stores it once it has closed", async () => {
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  const { store } = await tempStore();
  const sinceMs = Date.UTC(2024, 6, 31);
  const first = await backfillOnce(emulator, store, BTC_1H, {
    bounds: { sinceMs, untilMs: null },
  });
  assert.equal(first.added, 24);
  assert.equal(store.candles.bounds(BTC_1H)?.lastMs, Date.UTC(2024, 6, 31, 23));
  // The emulator did serve the open 00:00 candle, pro-rated; it was dropped.
  emulator.setTime(Date.UTC(2024, 7, 1, 1, 30));
  const second = await backfillOnce(emulator, store, BTC_1H, {
    bounds: { sinceMs: null, untilMs: null },
  });
  assert.equal(second.added, 1);
  assertStoredEqualsSample(store, BTC_1H, {
    file: FILE_1H,
    fromMs: sinceMs,
    untilMs: Date.UTC(2024, 7, 1, 1),
  });
  store.close();
});

Deno.test("backfill corrects stored candles that differ from the exchange and counts them", async () => {
  await using emulator = new BinanceEmulator({ startMs: AFTER_DATA_MS });
  const { store } = await tempStore();
  const untilMs = Date.UTC(2024, 6, 20);
  const rows = sampleRows(FILE_1H, YEAR_FROM, untilMs);
  for (const i of [3, 100, 200]) {
    rows[i] = [rows[i][0], rows[i][1], rows[i][2] * 2, rows[i][3], rows[i][4], 0];
  }
  store.candles.upsert(BTC_1H, rows.slice(0, 220));
  const summary = await backfillOnce(emulator, store, BTC_1H, {
    bounds: { sinceMs: YEAR_FROM, untilMs },
  });
  assert.deepEqual([summary.added, summary.corrected, summary.unchanged], [20, 3, 217]);
  assertStoredEqualsSample(store, BTC_1H, { file: FILE_1H, fromMs: YEAR_FROM, untilMs });
  store.close();
});

Deno.test("backfill stops at an abort with whole pages stored, and a rerun completes it", async () => {
  await using emulator = new BinanceEmulator({ startMs: AFTER_DATA_MS });
  const { store } = await tempStore();
  const controller = new AbortController();
  const progress = new RecordingProgress();
  progress.onAdvance = (done) => {
    if (done >= 600) controller.abort(new Error("test stop"));
  };
  const bounds = { sinceMs: YEAR_FROM, untilMs: YEAR_UNTIL };
  const stopped = await backfillOnce(emulator, store, BTC_1H, {
    bounds,
    progress,
    pageLimit: 300,
    signal: controller.signal,
  });
  assert.equal(stopped.status, "interrupted");
  assert.equal(stopped.added, 600);
  assert.equal(store.candles.bounds(BTC_1H)?.count, 600);
  assert.deepEqual(store.gaps.list(BTC_1H), []);
  const resumed = await backfillOnce(emulator, store, BTC_1H, {
    bounds: { sinceMs: null, untilMs: YEAR_UNTIL },
  });
  assert.equal(resumed.added, 8777 - 600);
  assertStoredEqualsSample(store, BTC_1H, {
    file: FILE_1H,
    fromMs: YEAR_FROM,
    untilMs: YEAR_UNTIL,
  });
  store.close();
});
