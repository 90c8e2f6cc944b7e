import assert from "node:assert/strict";
import fc from "fast-check";
import type { Candle } from "../core/types.ts";
import {
  addCandles,
  CandleAggregator,
  closeTime,
  floorTime,
  resampleCandles,
  resampleProblem,
  type Timeframe,
  timeframeMs,
  TIMEFRAMES,
} from "./mod.ts";

const utc = (text: string) => Date.parse(text);
const H = 3_600_000;

function candle(openTimeMs: number, price: number, volume = 1): Candle {
  return { openTimeMs, open: price, high: price + 2, low: price - 1, close: price + 1, volume };
}

/** The independent implementation: group by bucket, aggregate, keep the closed ones. */
function bruteForce(seen: readonly Candle[], target: Timeframe, nowMs: number): Candle[] {
  const buckets = new Map<number, Candle[]>();
  for (const c of seen) {
    const open = floorTime(c.openTimeMs, target);
    if (!buckets.has(open)) buckets.set(open, []);
    buckets.get(open)!.push(c);
  }
  return [...buckets].filter(([open]) => closeTime(open, target) <= nowMs).map(([open, cs]) => ({
    openTimeMs: open,
    open: cs[0].open,
    high: Math.max(...cs.map((c) => c.high)),
    low: Math.min(...cs.map((c) => c.low)),
    close: cs[cs.length - 1].close,
    volume: cs.reduce((sum, c) => sum + c.volume, 0),
  }));
}

const VALID_PAIRS = TIMEFRAMES.flatMap((base) =>
  TIMEFRAMES.filter((target) => resampleProblem(base, target) === null).map((target) =>
    [base, target] as const
  )
);

Deno.test("resampleProblem accepts exactly the pairs whose target boundaries are base boundaries", () => {
  for (
    const [base, target] of [
      ["1h", "4h"],
      ["1h", "1d"],
      ["15m", "1h"],
      ["1d", "1w"],
      [
        "1d",
        "1M",
      ],
      ["2h", "1w"],
      ["1m", "1M"],
      ["5m", "30m"],
      ["12h", "3d"],
    ] as const
  ) {
    assert.equal(resampleProblem(base, target), null, `${base} → ${target}`);
  }
  assert.equal(resampleProblem("3d", "1w"), "1w candles do not open on 3d candle boundaries");
  assert.equal(resampleProblem("6h", "8h"), "8h candles do not open on 6h candle boundaries");
  assert.equal(resampleProblem("1w", "1M"), "1M candles do not open on 1w candle boundaries");
  assert.equal(resampleProblem("3d", "1M"), "1M candles do not open on 3d candle boundaries");
  assert.equal(resampleProblem("4h", "1h"), "1h is not longer than 4h");
  assert.equal(resampleProblem("1h", "1h"), "1h is not longer than 1h");
  assert.equal(resampleProblem("1M", "1M"), "1M is not longer than 1M");
});

Deno.test("CandleAggregator rejects an impossible pair with a one-line RangeError", () => {
  for (const [base, target] of [["3d", "1w"], ["4h", "1h"], ["1h", "1h"], ["1M", "1w"]] as const) {
    assert.throws(() => new CandleAggregator(base, target), (error: unknown) => {
      assert.ok(error instanceof RangeError);
      assert.match(error.message, new RegExp(`^Cannot resample ${base} candles to ${target}: `));
      assert.equal(error.message.includes("\n"), false);
      return true;
    });
    assert.throws(() => resampleCandles([], base, target), RangeError);
  }
});

Deno.test("CandleAggregator rejects candles out of order or off the base grid", () => {
  const aggregator = new CandleAggregator("1h", "4h");
  const t0 = utc("2024-07-10T00:00:00Z");
  aggregator.update(candle(t0 + H, 100));
  assert.throws(() => aggregator.update(candle(t0 + H, 100)), /not after the previous/);
  assert.throws(() => aggregator.update(candle(t0, 100)), /not after the previous/);
  assert.throws(() => aggregator.update(candle(t0 + 2 * H + 60_000, 100)), /not a 1h open time/);
});

Deno.test("CandleAggregator returns a 4h candle once its last hour closes, then the same object", () => {
  const aggregator = new CandleAggregator("1h", "4h");
  const t0 = utc("2024-07-10T00:00:00Z");
  const results = [100, 104, 98, 101, 110].map((p, i) => aggregator.update(candle(t0 + i * H, p)));
  assert.deepEqual(results.slice(0, 3), [null, null, null]);
  assert.deepEqual(results[3], {
    openTimeMs: t0,
    open: 100,
    high: 106,
    low: 97,
    close: 102,
    volume: 4,
  });
  assert.ok(Object.isFrozen(results[3]));
  assert.equal(results[4], results[3]);
});

Deno.test("CandleAggregator closes a bucket cut short by a gap when a later bucket starts", () => {
  const aggregator = new CandleAggregator("1h", "4h");
  const t0 = utc("2024-07-10T00:00:00Z");
  assert.equal(aggregator.update(candle(t0, 100)), null);
  assert.equal(aggregator.update(candle(t0 + H, 103)), null);
  // 02:00 and 03:00 are missing; 05:00 belongs to the 04:00 bucket.
  const first = aggregator.update(candle(t0 + 5 * H, 120));
  assert.deepEqual(first, { openTimeMs: t0, open: 100, high: 105, low: 99, close: 104, volume: 2 });
  // 07:00 is the last hour of the 04:00 bucket: it closes at 08:00 with only two candles.
  const second = aggregator.update(candle(t0 + 7 * H, 90));
  assert.deepEqual(second, {
    openTimeMs: t0 + 4 * H,
    open: 120,
    high: 122,
    low: 89,
    close: 91,
    volume: 2,
  });
});

Deno.test("resampleCandles builds Monday weeks and calendar months, counting incomplete buckets", () => {
  const D = 86_400_000;
  const days = Array.from({ length: 68 }, (_, i) => utc("2024-01-01T00:00:00Z") + i * D)
    .filter((t) => t !== utc("2024-01-10T00:00:00Z"))
    .map((t, i) => candle(t, 100 + i));
  const weeks = resampleCandles(days, "1d", "1w");
  // 2024-01-01 was a Monday; to March 8 that is 9 weeks and 5 days of a tenth, which is dropped.
  assert.equal(weeks.candles.length, 9);
  assert.equal(weeks.candles[1].openTimeMs, utc("2024-01-08T00:00:00Z"));
  assert.equal(weeks.candles[1].volume, 6);
  assert.equal(weeks.incomplete, 1);
  const months = resampleCandles(days, "1d", "1M");
  assert.deepEqual(months.candles.map((c) => new Date(c.openTimeMs).toISOString().slice(0, 10)), [
    "2024-01-01",
    "2024-02-01",
  ]);
  assert.deepEqual(months.candles.map((c) => c.volume), [30, 29]);
  assert.equal(months.incomplete, 1);
  assert.deepEqual(resampleCandles([], "1h", "4h"), { candles: [], incomplete: 0 });
});

/** A base series with gaps: each step skips 0 to about three target candles' worth. */
const seriesArb = fc.constantFrom(...VALID_PAIRS).chain(([base, target]) => {
  const ratio = Math.round(timeframeMs(target) / timeframeMs(base));
  const skip = fc.oneof(
    { arbitrary: fc.constant(0), weight: 6 },
    { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 3 * ratio }), weight: 1 },
  );
  const bar = fc.record({
    skip,
    price: fc.double({ min: 1, max: 1000, noNaN: true }),
    volume: fc.double({ min: 0, max: 50, noNaN: true }),
  });
  return fc.record({
    base: fc.constant(base),
    target: fc.constant(target),
    start: fc.integer({ min: utc("2000-01-01T00:00:00Z"), max: utc("2040-01-01T00:00:00Z") }),
    bars: fc.array(bar, { maxLength: Math.min(200, 4 * ratio + 40) }),
  });
});

function buildSeries(
  base: Timeframe,
  start: number,
  bars: { skip: number; price: number; volume: number }[],
) {
  let openMs = addCandles(floorTime(start, base), base, -1);
  return bars.map((bar) => {
    openMs = addCandles(openMs, base, 1 + bar.skip);
    return candle(openMs, bar.price, bar.volume);
  });
}

Deno.test("CandleAggregator property: never looks ahead and returns the latest closed bucket", () => {
  fc.assert(
    fc.property(seriesArb, ({ base, target, start, bars }) => {
      const series = buildSeries(base, start, bars);
      const aggregator = new CandleAggregator(base, target);
      let previous: Candle | null = null;
      series.forEach((c, i) => {
        const nowMs = c.openTimeMs + timeframeMs(base);
        const got = aggregator.update(c);
        const closed = bruteForce(series.slice(0, i + 1), target, nowMs);
        const expected = closed.length === 0 ? null : closed[closed.length - 1];
        assert.deepEqual(got, expected);
        if (got === null) return;
        assert.ok(closeTime(got.openTimeMs, target) <= nowMs, "lookahead");
        assert.ok(Object.isFrozen(got));
        if (previous !== null && previous.openTimeMs === got.openTimeMs) {
          assert.equal(got, previous);
        }
        previous = got;
      });
    }),
    { numRuns: 300 },
  );
});

Deno.test("resampleCandles property: every closed bucket, brute-force equal, with incomplete counted", () => {
  fc.assert(
    fc.property(seriesArb, ({ base, target, start, bars }) => {
      const series = buildSeries(base, start, bars);
      const result = resampleCandles(series, base, target);
      const last = series[series.length - 1];
      const nowMs = last === undefined ? -Infinity : last.openTimeMs + timeframeMs(base);
      assert.deepEqual(result.candles, bruteForce(series, target, nowMs));
      const incomplete = result.candles.filter((bucket) => {
        const inBucket = series.filter((c) =>
          floorTime(c.openTimeMs, target) === bucket.openTimeMs
        );
        const first = bucket.openTimeMs;
        const closeMs = closeTime(first, target);
        return inBucket.length !== (closeMs - first) / timeframeMs(base);
      });
      assert.equal(result.incomplete, incomplete.length);
    }),
    { numRuns: 300 },
  );
});
