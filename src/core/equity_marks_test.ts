import assert from "node:assert/strict";
import fc from "fast-check";
import { EquityMarks } from "./equity_marks.ts";

Deno.test("EquityMarks fills quote + base × close of each candle's balances, in any pieces", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          count: fc.integer({ min: 1, max: 6 }),
          // Few distinct balances, so that equal ones follow each other and merge.
          quote: fc.constantFrom(0, -0, 100, 99.5, 1e-9),
          base: fc.constantFrom(0, -0, 0.25, 3),
        }),
        { maxLength: 12 },
      ),
      fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 5 }),
      (runs, cuts) => {
        const n = runs.reduce((sum, run) => sum + run.count, 0);
        const close = Float64Array.from({ length: n }, (_, i) => 50 + i * 0.7);
        const expected = new Float64Array(n);
        const marks = new EquityMarks();
        let from = 0;
        for (const { count, quote, base } of runs) {
          marks.mark(from, from + count, quote, base);
          for (let i = from; i < from + count; i++) expected[i] = quote + base * close[i];
          from += count;
        }
        const out = new Float64Array(n).fill(Number.NaN);
        for (const cut of [...cuts].sort((a, b) => a - b)) marks.fill(close, out, cut);
        marks.fill(close, out, n);
        assert.equal(marks.marked, n);
        // Bytes, so that -0 and 0 count as different.
        assert.deepEqual(new Uint8Array(out.buffer), new Uint8Array(expected.buffer));
      },
    ),
  );
});

Deno.test("EquityMarks fills only marked candles and refuses marks out of order", () => {
  const marks = new EquityMarks();
  marks.mark(0, 2, 10, 1);
  const out = new Float64Array(4);
  marks.fill(new Float64Array([1, 2, 3, 4]), out, 4);
  assert.deepEqual([...out], [11, 12, 0, 0]);
  assert.throws(() => marks.mark(3, 4, 10, 1), /candles \[3, 4\) after 2 marked/);
  assert.throws(() => marks.mark(2, 2, 10, 1), /candles \[2, 2\)/);
  marks.mark(2, 4, 10, 1);
  marks.fill(new Float64Array([1, 2, 3, 4]), out, 4);
  assert.deepEqual([...out], [11, 12, 13, 14]);
});
