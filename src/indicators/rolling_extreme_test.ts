import fc from "fast-check";
import assert from "node:assert/strict";
import { RollingMax, RollingMin } from "./rolling_extreme.ts";
import { assertWarmup, pricesArbitrary, stream } from "./_test_support.ts";

function batchExtreme(values: readonly number[], period: number, pick: typeof Math.max) {
  return values.map((
    _,
    i,
  ) => (i < period - 1 ? NaN : pick(...values.slice(i - period + 1, i + 1))));
}

Deno.test("RollingMax and RollingMin equal a window scan exactly (property)", () => {
  // Few distinct values exercise ties, the monotonic deque's tricky case.
  const values = fc.oneof(
    pricesArbitrary(),
    fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 200 }),
  );
  fc.assert(fc.property(values, fc.integer({ min: 1, max: 30 }), (inputs, period) => {
    const max = new RollingMax(period), min = new RollingMin(period);
    const maxima = stream(max, inputs), minima = stream(min, inputs);
    assertWarmup(maxima, max.warmup);
    assertWarmup(minima, min.warmup);
    assert.deepEqual(maxima, batchExtreme(inputs, period, Math.max));
    assert.deepEqual(minima, batchExtreme(inputs, period, Math.min));
  }));
});

Deno.test("RollingMax forgets a maximum once it leaves the window", () => {
  assert.deepEqual(stream(new RollingMax(2), [5, 1, 2, 3]), [NaN, 5, 2, 3]);
  assert.deepEqual(stream(new RollingMin(3), [1, 5, 6, 7, 0]), [NaN, NaN, 1, 5, 0]);
});
