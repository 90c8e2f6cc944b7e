/** The optimisation's progress line. */
import assert from "node:assert/strict";
import { OptimizeProgress } from "./progress.ts";

Deno.test("OptimizeProgress shows the bar, counts, rate, ETA and best so far, redrawn in place", () => {
  let now = 0;
  const written: string[] = [];
  const progress = new OptimizeProgress((text) => written.push(text), {
    total: 40,
    nowMs: () => now,
  });
  for (let i = 0; i < 10; i++) {
    now += 500;
    progress.advance("fold 2", "sharpe 1.20 (10 30)");
  }
  const line = written.at(-1)!;
  assert.ok(line.startsWith("\r\x1b[2K"), "redrawn over the previous line");
  assert.match(
    line,
    /█{5}░{15} 10\/40 \(25%\) 2\.0\/s ETA 15s · fold 2 · best sharpe 1\.20 \(10 30\)$/,
  );
  progress.finish();
  assert.equal(written.at(-1), "\r\x1b[2K");
});

Deno.test("OptimizeProgress redraws at most every 100 ms but always at the end", () => {
  let now = 0;
  const written: string[] = [];
  const progress = new OptimizeProgress((text) => written.push(text), {
    total: 5,
    nowMs: () => now,
  });
  for (let i = 0; i < 5; i++) {
    now += 10;
    progress.advance("full", "—");
  }
  assert.equal(written.length, 2);
  assert.match(written.at(-1)!, / 5\/5 \(100%\)/);
});
