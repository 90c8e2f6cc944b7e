import assert from "node:assert/strict";
import fc from "fast-check";
import {
  addCandles,
  ceilTime,
  closeTime,
  floorTime,
  isAligned,
  isClosed,
  lastClosedOpenTime,
  nextOpenTime,
} from "./boundaries.ts";
import { TIMEFRAMES } from "./timeframe.ts";

const utc = (text: string) => Date.parse(text);
const timeArb = fc.integer({ min: utc("1990-01-01T00:00:00Z"), max: utc("2100-01-01T00:00:00Z") });
const tfArb = fc.constantFrom(...TIMEFRAMES);

Deno.test("floorTime aligns weeks to Monday 00:00 UTC", () => {
  // 2024-07-10 was a Wednesday; its week opened on Monday 2024-07-08.
  assert.equal(floorTime(utc("2024-07-10T13:45:00Z"), "1w"), utc("2024-07-08T00:00:00Z"));
  assert.equal(floorTime(utc("2024-07-08T00:00:00Z"), "1w"), utc("2024-07-08T00:00:00Z"));
  assert.equal(floorTime(utc("2024-07-07T23:59:59Z"), "1w"), utc("2024-07-01T00:00:00Z"));
  assert.equal(new Date(floorTime(0, "1w")).getUTCDay(), 1);
});

Deno.test("floorTime uses real calendar months", () => {
  assert.equal(floorTime(utc("2024-02-29T23:00:00Z"), "1M"), utc("2024-02-01T00:00:00Z"));
  assert.equal(nextOpenTime(utc("2024-02-01T00:00:00Z"), "1M"), utc("2024-03-01T00:00:00Z"));
  assert.equal(nextOpenTime(utc("2023-02-01T00:00:00Z"), "1M"), utc("2023-03-01T00:00:00Z"));
  assert.equal(nextOpenTime(utc("2024-12-01T00:00:00Z"), "1M"), utc("2025-01-01T00:00:00Z"));
  assert.equal(addCandles(utc("2024-03-01T00:00:00Z"), "1M", -3), utc("2023-12-01T00:00:00Z"));
  assert.equal(ceilTime(utc("2024-01-15T00:00:00Z"), "1M"), utc("2024-02-01T00:00:00Z"));
});

Deno.test("floorTime aligns hours, days and 3d like Binance", () => {
  assert.equal(floorTime(utc("2024-07-10T13:45:10Z"), "4h"), utc("2024-07-10T12:00:00Z"));
  assert.equal(floorTime(utc("2024-07-10T13:45:10Z"), "1d"), utc("2024-07-10T00:00:00Z"));
  assert.equal(floorTime(utc("2024-07-10T13:45:10Z"), "15m"), utc("2024-07-10T13:45:00Z"));
  assert.equal(floorTime(-1, "1m"), -60_000);
  assert.equal(floorTime(utc("2024-07-10T00:00:00Z"), "3d") % (3 * 86_400_000), 0);
});

Deno.test("isClosed is false until the close time and true from it", () => {
  const open = utc("2024-07-10T13:00:00Z");
  assert.equal(closeTime(open, "1h"), utc("2024-07-10T14:00:00Z"));
  assert.equal(isClosed(open, "1h", utc("2024-07-10T13:59:59.999Z")), false);
  assert.equal(isClosed(open, "1h", utc("2024-07-10T14:00:00Z")), true);
  assert.equal(lastClosedOpenTime(utc("2024-07-10T14:30:00Z"), "1h"), open);
  assert.equal(lastClosedOpenTime(utc("2024-07-10T14:00:00Z"), "1h"), open);
});

Deno.test("floorTime property: floor <= t < next(floor), idempotent and aligned", () => {
  fc.assert(
    fc.property(timeArb, tfArb, (t, tf) => {
      const floor = floorTime(t, tf);
      assert.ok(floor <= t && t < nextOpenTime(floor, tf));
      assert.equal(floorTime(floor, tf), floor);
      assert.ok(isAligned(floor, tf));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("ceilTime property: smallest aligned time at or after t", () => {
  fc.assert(
    fc.property(timeArb, tfArb, (t, tf) => {
      const ceil = ceilTime(t, tf);
      assert.ok(ceil >= t && isAligned(ceil, tf));
      assert.ok(addCandles(ceil, tf, -1) < t);
      assert.equal(ceil === t, isAligned(t, tf));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("addCandles property: forward then back is the identity on open times", () => {
  fc.assert(
    fc.property(timeArb, tfArb, fc.integer({ min: -500, max: 500 }), (t, tf, k) => {
      const open = floorTime(t, tf);
      const moved = addCandles(open, tf, k);
      assert.ok(isAligned(moved, tf));
      assert.equal(addCandles(moved, tf, -k), open);
      assert.equal(Math.sign(moved - open), Math.sign(k));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("isClosed property: closed exactly when now >= next open", () => {
  fc.assert(fc.property(timeArb, tfArb, timeArb, (t, tf, now) => {
    const open = floorTime(t, tf);
    assert.equal(isClosed(open, tf, now), now >= nextOpenTime(open, tf));
  }));
});
