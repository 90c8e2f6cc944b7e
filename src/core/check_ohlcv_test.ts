import assert from "node:assert/strict";
import { checkOhlcv } from "./check_ohlcv.ts";

Deno.test("checkOhlcv accepts a sane candle, a flat one and zero volume", () => {
  assert.equal(checkOhlcv(100, 110, 90, 105, 3.5), null);
  assert.equal(checkOhlcv(100, 100, 100, 100, 0), null);
});

Deno.test("checkOhlcv names the field and the reason of the first problem", () => {
  assert.deepEqual(checkOhlcv(0, 110, 90, 105, 1), { field: "open", why: "must be > 0 (got 0)" });
  assert.deepEqual(checkOhlcv(100, NaN, 90, 105, 1), {
    field: "high",
    why: "must be > 0 (got NaN)",
  });
  assert.deepEqual(checkOhlcv(100, 110, -5, 105, 1), { field: "low", why: "must be > 0 (got -5)" });
  assert.deepEqual(checkOhlcv(100, 110, 90, 105, -1), {
    field: "volume",
    why: "must be >= 0 (got -1)",
  });
  assert.deepEqual(checkOhlcv(100, 80, 90, 105, 1), {
    field: "high",
    why: "is below low (high 80, low 90)",
  });
  assert.deepEqual(checkOhlcv(100, 104, 90, 105, 1), {
    field: "high",
    why: "is below open/close (high 104, open 100, close 105)",
  });
  assert.deepEqual(checkOhlcv(100, 110, 101, 105, 1), {
    field: "low",
    why: "is above open/close (low 101, open 100, close 105)",
  });
});
