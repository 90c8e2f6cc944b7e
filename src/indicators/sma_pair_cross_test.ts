import assert from "node:assert/strict";
import fc from "fast-check";
import { Cross } from "./cross.ts";
import { Sma } from "./sma.ts";
import { SmaPairCross } from "./sma_pair_cross.ts";

/** What two `Sma` and a `Cross` give for each input. */
function reference(fast: number, slow: number, inputs: readonly number[]) {
  const f = new Sma(fast), s = new Sma(slow), cross = new Cross();
  return inputs.map((x) => {
    const a = f.update(x), b = s.update(x);
    return { direction: cross.update(a, b), fast: a, slow: b };
  });
}

const series = fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { maxLength: 300 });

Deno.test("SmaPairCross.update equals two Sma and a Cross, bit for bit", () => {
  fc.assert(
    fc.property(
      series,
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 20 }),
      (xs, fast, slow) => {
        const pair = new SmaPairCross(fast, slow);
        const actual = xs.map((x) => {
          const direction = pair.update(x);
          return { direction, fast: pair.fast, slow: pair.slow };
        });
        assert.deepEqual(actual, reference(fast, slow, xs));
      },
    ),
  );
});

Deno.test("SmaPairCross.scan stops where update would first return the wanted direction", () => {
  const args = fc.tuple(series, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 20 }));
  fc.assert(
    fc.property(args, fc.array(fc.integer({ min: 1, max: 60 })), ([xs, fast, slow], cuts) => {
      const expected = reference(fast, slow, xs);
      const pair = new SmaPairCross(fast, slow);
      const values = Float64Array.from(xs);
      let i = 0, k = 0, wanted = 1;
      while (i < xs.length) {
        const to = Math.min(
          xs.length,
          i + (cuts.length === 0 ? xs.length : cuts[k++ % cuts.length]),
        );
        const at = pair.scan(values, i, to, wanted);
        let first = i;
        while (first < to && expected[first].direction !== wanted) first++;
        assert.equal(at, first);
        const last = Math.min(at, to - 1);
        assert.deepEqual([pair.fast, pair.slow], [expected[last].fast, expected[last].slow]);
        if (at < to) wanted = -wanted;
        i = last + 1;
      }
    }),
  );
});

Deno.test("SmaPairCross finds the crosses of a known series", () => {
  const xs = [5, 4, 3, 2, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1];
  const pair = new SmaPairCross(2, 4);
  assert.deepEqual(xs.map((x) => pair.update(x)), [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1, 0, 0, 0]);
});
