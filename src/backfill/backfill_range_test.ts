import assert from "node:assert/strict";
import fc from "fast-check";
import { InputError } from "../core/errors.ts";
import { backfillRange, checkDateBounds, parseBackfillDate } from "./backfill_range.ts";

const MARKET = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };
const H = 3_600_000;
const NOW = Date.UTC(2024, 7, 1, 0, 30);

Deno.test("parseBackfillDate reads dates, date-times and epoch ms, and rejects the rest", () => {
  assert.equal(parseBackfillDate("since", "2024-07-10"), Date.UTC(2024, 6, 10));
  assert.equal(parseBackfillDate("since", "2024-07-10T05:00"), Date.UTC(2024, 6, 10, 5));
  assert.equal(parseBackfillDate("since", "1720569600000"), 1720569600000);
  for (const bad of ["yesterday", "2024-02-30", "2024-13-01", ""]) {
    assert.throws(() => parseBackfillDate("since", bad), InputError);
  }
});

Deno.test("checkDateBounds rejects future dates and --since not before --until", () => {
  checkDateBounds({ sinceMs: NOW - H, untilMs: NOW }, NOW);
  assert.throws(() => checkDateBounds({ sinceMs: NOW + 1, untilMs: null }, NOW), /in the future/);
  assert.throws(() => checkDateBounds({ sinceMs: null, untilMs: NOW + 1 }, NOW), /in the future/);
  assert.throws(
    () => checkDateBounds({ sinceMs: NOW - H, untilMs: NOW - 2 * H }, NOW),
    /not before/,
  );
});

Deno.test("backfillRange starts after the newest stored candle and ends at the last closed one", () => {
  const range = backfillRange(MARKET, { sinceMs: null, untilMs: null }, {
    timeframe: "1h",
    nowMs: NOW,
    lastStoredMs: NOW - 30 * 60_000 - 5 * H,
  });
  // Stored up to 19:00; 00:00 is still open at 00:30.
  assert.deepEqual(range, {
    fromMs: NOW - 30 * 60_000 - 4 * H,
    toMs: NOW - 30 * 60_000 - H,
    expected: 4,
  });
  const upToDate = backfillRange(MARKET, { sinceMs: null, untilMs: null }, {
    timeframe: "1h",
    nowMs: NOW,
    lastStoredMs: NOW - 30 * 60_000 - H,
  });
  assert.equal(upToDate, null);
});

Deno.test("backfillRange needs --since (or a config's default) for a new market", () => {
  const context = { timeframe: "1h" as const, nowMs: NOW, lastStoredMs: null };
  assert.throws(
    () => backfillRange(MARKET, { sinceMs: null, untilMs: null }, context),
    /--since: required/,
  );
  const fromConfig = backfillRange(MARKET, { sinceMs: null, untilMs: null }, {
    ...context,
    defaultSinceMs: NOW - 10 * H,
  });
  assert.equal(fromConfig?.expected, 9); // 15:00 to 23:00
});

Deno.test("backfillRange covers open times in [since, until) aligned, never past the last closed", () => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 5000 }),
    fc.integer({ min: 1, max: 5000 }),
    (sinceBack, length) => {
      const sinceMs = NOW - sinceBack * 60_000 * 7;
      const untilMs = sinceMs + length * 60_000 * 7;
      const range = backfillRange(MARKET, { sinceMs, untilMs }, {
        timeframe: "1h",
        nowMs: NOW,
        lastStoredMs: null,
      });
      if (range === null) return;
      assert.ok(range.fromMs >= sinceMs && range.fromMs - sinceMs < H);
      assert.ok(range.toMs < untilMs && range.toMs + H >= Math.min(untilMs, NOW - 30 * 60_000));
      assert.ok(range.toMs + H <= NOW, "the last candle has closed");
      assert.equal(range.expected, (range.toMs - range.fromMs) / H + 1);
    },
  ));
});
