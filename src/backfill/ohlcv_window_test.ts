import assert from "node:assert/strict";
import { backfillRange } from "./backfill_range.ts";
import { clipToOhlcvWindow, windowNote, windowStartMs } from "./ohlcv_window.ts";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 3, 10, 30);
const NOW_OPEN = Date.UTC(2026, 11, 3, 10);
const KRAKEN_1H = { exchange: "kraken", symbol: "BTC/USD", timeframe: "1h" } as const;

function rangeSince(sinceMs: number) {
  return backfillRange(KRAKEN_1H, { sinceMs, untilMs: null }, {
    timeframe: "1h",
    nowMs: NOW,
    lastStoredMs: null,
  });
}

Deno.test("windowStartMs keeps one candle in hand inside Kraken's 720 (the open one counts)", () => {
  assert.equal(windowStartMs(NOW, "1h", 720), NOW_OPEN - 718 * HOUR);
});

Deno.test("clipToOhlcvWindow cuts two years of 1h to the window and names the rest", () => {
  const twoYearsAgo = NOW_OPEN - 2 * 365 * 24 * HOUR;
  const windowed = clipToOhlcvWindow(rangeSince(twoYearsAgo), {
    timeframe: "1h",
    nowMs: NOW,
    windowCandles: 720,
  });
  assert.deepEqual(windowed.range, {
    fromMs: NOW_OPEN - 718 * HOUR,
    toMs: NOW_OPEN - HOUR,
    expected: 718,
  });
  assert.deepEqual(windowed.unreachable, {
    fromMs: twoYearsAgo,
    toMs: NOW_OPEN - 719 * HOUR,
    missing: 2 * 365 * 24 - 718,
  });
  assert.equal(
    windowNote(KRAKEN_1H, windowed, 720),
    "kraken BTC/USD 1h: kraken serves only its latest 720 candles: reachable from " +
      "2026-11-03 12:00 UTC; 2024-12-03 10:00 → 2026-11-03 11:00 (16802 candles) cannot be " +
      "downloaded and is not recorded as a gap",
  );
});

Deno.test("clipToOhlcvWindow leaves a range inside the window, or without one, alone", () => {
  const recent = rangeSince(NOW_OPEN - 100 * HOUR);
  const options = { timeframe: "1h", nowMs: NOW, windowCandles: 720 } as const;
  assert.deepEqual(clipToOhlcvWindow(recent, options), { range: recent, unreachable: null });
  const old = rangeSince(NOW_OPEN - 5000 * HOUR);
  assert.deepEqual(clipToOhlcvWindow(old, { ...options, windowCandles: null }), {
    range: old,
    unreachable: null,
  });
  assert.equal(windowNote(KRAKEN_1H, { range: recent, unreachable: null }, 720), "");
});

Deno.test("clipToOhlcvWindow: a range wholly before the window has nothing to download", () => {
  const old = backfillRange(KRAKEN_1H, {
    sinceMs: NOW_OPEN - 5000 * HOUR,
    untilMs: NOW_OPEN - 4000 * HOUR,
  }, { timeframe: "1h", nowMs: NOW, lastStoredMs: null });
  const windowed = clipToOhlcvWindow(old, { timeframe: "1h", nowMs: NOW, windowCandles: 720 });
  assert.equal(windowed.range, null);
  assert.equal(windowed.unreachable?.missing, 1000);
  assert.match(windowNote(KRAKEN_1H, windowed, 720), /: none of the range is reachable; /);
});
