import assert from "node:assert/strict";
import { Cross } from "./cross.ts";

function directions(pairs: readonly [number, number][]): number[] {
  const cross = new Cross();
  return pairs.map(([a, b]) => cross.update(a, b));
}

Deno.test("Cross reports strict crossings in both directions", () => {
  assert.deepEqual(directions([[1, 2], [3, 2], [1, 2]]), [0, 1, -1]);
});

Deno.test("Cross ignores touching: equality on either side is not a cross", () => {
  // below -> equal -> above: neither step is strict on both candles.
  assert.deepEqual(directions([[1, 2], [2, 2], [3, 2], [2, 2], [1, 2]]), [0, 0, 0, 0, 0]);
});

Deno.test("Cross never fires on warm-up NaN", () => {
  assert.deepEqual(directions([[NaN, NaN], [1, NaN], [1, 2], [3, 2]]), [0, 0, 0, 1]);
});
