import assert from "node:assert/strict";
import { formatDuration, formatUtc } from "./format_time.ts";

Deno.test("formatUtc shows the UTC date and minute", () => {
  assert.equal(formatUtc(Date.UTC(2024, 6, 10, 13, 0, 59)), "2024-07-10 13:00");
  assert.equal(formatUtc(0), "1970-01-01 00:00");
});

Deno.test("formatDuration shows the two largest units", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(1_500), "1s");
  assert.equal(formatDuration(59_999), "59s");
  assert.equal(formatDuration(185_000), "3m05s");
  assert.equal(formatDuration(45 * 60_000), "45m00s");
  assert.equal(formatDuration(2 * 3_600_000 + 10 * 60_000), "2h10m");
  assert.equal(formatDuration(4 * 86_400_000 + 3 * 3_600_000), "4d03h");
});

Deno.test("formatDuration shows a negative duration as 0s and an unknown one as a dash", () => {
  assert.equal(formatDuration(-5000), "0s");
  assert.equal(formatDuration(NaN), "–");
  assert.equal(formatDuration(Infinity), "–");
});
