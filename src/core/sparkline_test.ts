import assert from "node:assert/strict";
import { sparkline } from "./sparkline.ts";

Deno.test("sparkline scales a series into eight levels", () => {
  assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8), "▁▂▃▄▅▆▇█");
  assert.equal(sparkline(new Float64Array([1, 8]), 8), "▁█");
});

Deno.test("sparkline draws a flat series in the middle", () => {
  assert.equal(sparkline([5, 5, 5], 3), "▄▄▄");
  assert.equal(sparkline([0, 0, 0], 8), "▄▄▄");
});

Deno.test("sparkline keeps the last width finite values", () => {
  assert.equal(sparkline([5, 1, 9], 2), "▁█");
  assert.equal(sparkline([1, NaN, 2, Infinity], 8), "▁█");
  assert.equal(sparkline(Array.from({ length: 1000 }, (_, i) => i), 10).length, 10);
});

Deno.test("sparkline of nothing is empty", () => {
  assert.equal(sparkline([], 4), "");
  assert.equal(sparkline([1, 2], 0), "");
});
