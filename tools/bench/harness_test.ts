import assert from "node:assert/strict";
import { formatBenchTable, rateResult } from "./harness.ts";
import { tileCandles } from "./sqlite_bench.ts";

Deno.test("formatBenchTable prints name, value, reference and ratio per figure", () => {
  const lines = formatBenchTable([rateResult("sqlite.insert", "rows/s", 350_000, 500_000)]);
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^name\s+value\s+unit\s+reference\s+ratio/);
  assert.match(lines[1], /^sqlite\.insert\s+350,000\s+rows\/s\s+500,000\s+0\.70x$/);
});

Deno.test("tileCandles repeats the sample with strictly ascending, aligned open times", () => {
  const sample: [number, number, number, number, number, number][] = [
    [60_000, 1, 2, 0.5, 1.5, 3],
    [180_000, 1, 2, 0.5, 1.5, 3],
  ];
  const rows = tileCandles(sample, 5);
  assert.deepEqual(rows.map((r) => r[0]), [60_000, 180_000, 240_000, 360_000, 420_000]);
  for (const row of rows) assert.equal(row[0] % 60_000, 0);
});
