import assert from "node:assert/strict";
import { InputError } from "./errors.ts";
import { isTimeframe, parseTimeframe, timeframeMs, TIMEFRAMES } from "./timeframe.ts";

Deno.test("parseTimeframe accepts exactly the supported timeframes", () => {
  assert.deepEqual(
    [...TIMEFRAMES],
    ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"],
  );
  for (const tf of TIMEFRAMES) assert.equal(parseTimeframe(tf), tf);
});

Deno.test("parseTimeframe rejects 7m, 1H, -1h and others with a one-line InputError", () => {
  for (const bad of ["7m", "1H", "-1h", "", " 1h", "1h ", "60m", "1y", "1mo", "01h"]) {
    assert.equal(isTimeframe(bad), false);
    assert.throws(() => parseTimeframe(bad), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /^Cannot parse timeframe ".*": must be one of 1m, 3m, /);
      assert.equal(error.message.includes("\n"), false);
      return true;
    });
  }
});

Deno.test("timeframeMs gives exact lengths", () => {
  assert.equal(timeframeMs("1m"), 60_000);
  assert.equal(timeframeMs("15m"), 900_000);
  assert.equal(timeframeMs("1h"), 3_600_000);
  assert.equal(timeframeMs("12h"), 43_200_000);
  assert.equal(timeframeMs("1d"), 86_400_000);
  assert.equal(timeframeMs("3d"), 259_200_000);
  assert.equal(timeframeMs("1w"), 604_800_000);
  assert.equal(timeframeMs("1M"), 2_592_000_000);
});
