import assert from "node:assert/strict";
import fc from "fast-check";
import {
  addCandles,
  countOpenTimes,
  expectedOpenTimes,
  findGaps,
  floorTime,
  TIMEFRAMES,
} from "./mod.ts";

const utc = (text: string) => Date.parse(text);
const H = 3_600_000;

Deno.test("expectedOpenTimes lists aligned open times within inclusive bounds", () => {
  const from = utc("2024-07-10T00:30:00Z");
  assert.deepEqual(expectedOpenTimes(from, utc("2024-07-10T03:00:00Z"), "1h"), [
    utc("2024-07-10T01:00:00Z"),
    utc("2024-07-10T02:00:00Z"),
    utc("2024-07-10T03:00:00Z"),
  ]);
  assert.deepEqual(
    expectedOpenTimes(utc("2024-01-01T00:00:00Z"), utc("2024-03-31T00:00:00Z"), "1M"),
    [
      utc("2024-01-01T00:00:00Z"),
      utc("2024-02-01T00:00:00Z"),
      utc("2024-03-01T00:00:00Z"),
    ],
  );
  assert.deepEqual(expectedOpenTimes(10, 5, "1m"), []);
});

Deno.test("findGaps reports inner, head and tail gaps with inclusive bounds", () => {
  const t0 = utc("2024-07-10T00:00:00Z");
  const times = [t0 + 2 * H, t0 + 3 * H, t0 + 7 * H, t0 + 8 * H];
  assert.deepEqual(findGaps(times, "1h"), [{ fromMs: t0 + 4 * H, toMs: t0 + 6 * H, missing: 3 }]);
  assert.deepEqual(findGaps(times, "1h", t0, t0 + 10 * H), [
    { fromMs: t0, toMs: t0 + H, missing: 2 },
    { fromMs: t0 + 4 * H, toMs: t0 + 6 * H, missing: 3 },
    { fromMs: t0 + 9 * H, toMs: t0 + 10 * H, missing: 2 },
  ]);
  assert.deepEqual(findGaps([], "1h", t0, t0 + 2 * H), [{
    fromMs: t0,
    toMs: t0 + 2 * H,
    missing: 3,
  }]);
  assert.deepEqual(findGaps([], "1h"), []);
  assert.deepEqual(findGaps(new Float64Array(times), "1h", t0 + 5 * H, t0 + 7 * H), [
    { fromMs: t0 + 5 * H, toMs: t0 + 6 * H, missing: 2 },
  ]);
});

Deno.test("findGaps on calendar months counts real months", () => {
  const times = [utc("2024-01-01T00:00:00Z"), utc("2024-05-01T00:00:00Z")];
  assert.deepEqual(findGaps(times, "1M"), [
    { fromMs: utc("2024-02-01T00:00:00Z"), toMs: utc("2024-04-01T00:00:00Z"), missing: 3 },
  ]);
});

Deno.test("findGaps property: the gaps are exactly the removed open times", () => {
  const arb = fc.record({
    tf: fc.constantFrom(...TIMEFRAMES),
    start: fc.integer({ min: utc("2000-01-01T00:00:00Z"), max: utc("2040-01-01T00:00:00Z") }),
    keep: fc.array(fc.boolean(), { minLength: 0, maxLength: 200 }),
  });
  fc.assert(
    fc.property(arb, ({ tf, start, keep }) => {
      const first = floorTime(start, tf);
      const all = keep.map((_, i) => addCandles(first, tf, i));
      const kept = all.filter((_, i) => keep[i]);
      const last = all.length ? all[all.length - 1] : addCandles(first, tf, -1);
      const gaps = findGaps(kept, tf, first, last);
      const missing = gaps.flatMap((g) => expectedOpenTimes(g.fromMs, g.toMs, tf));
      assert.deepEqual(missing, all.filter((_, i) => !keep[i]));
      for (const g of gaps) assert.equal(g.missing, countOpenTimes(g.fromMs, g.toMs, tf));
    }),
    { numRuns: 1000 },
  );
});
