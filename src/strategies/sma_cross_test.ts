import assert from "node:assert/strict";
import type { Candle } from "../core/types.ts";
import { smaCrossDefinition } from "./sma_cross.ts";
import { runStrategy } from "../../tests/support/run_strategy.ts";

function candlesFromCloses(closes: readonly number[]): Candle[] {
  return closes.map((close, i) => ({
    openTimeMs: i * 60_000,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
  }));
}

// fast = SMA(2), slow = SMA(3): fast − slow = (c[i] + c[i-1] − 2·c[i-2]) / 6.
const CLOSES = [10, 10, 10, 9, 11, 12, 5, 20, 5, 1, 20, 20, 20, 10, 10, 30, 5, 1];

function plainSma(values: readonly number[], period: number, i: number): number {
  return i < period - 1
    ? NaN
    : values.slice(i - period + 1, i + 1).reduce((a, b) => a + b) / period;
}

Deno.test("sma_cross hand-built series: the fast − slow sign table is as designed", () => {
  const signs = CLOSES.map((_, i) => Math.sign(plainSma(CLOSES, 2, i) - plainSma(CLOSES, 3, i)));
  // index:            0    1    2  3   4  5  6   7  8  9   10 11 12 13  14  15 16 17
  assert.deepEqual(signs, [NaN, NaN, 0, -1, 0, 1, -1, 1, 1, -1, 1, 1, 0, -1, -1, 1, 1, -1]);
});

Deno.test("sma_cross enters and exits only on strict crosses; touching is not a cross", () => {
  const strategy = smaCrossDefinition.create({ fast: 2, slow: 3 }, { timeframe: "1m" });
  const decisions = runStrategy(strategy, candlesFromCloses(CLOSES), { timeframeMs: 60_000 });
  const summary = decisions.map((d) => `${d.index}:${d.intents.map((i) => i.kind).join(",")}`);
  // 5: below → equal → above (no cross). 6: down-cross while flat (nothing to exit).
  // 13: above → equal → below (no cross). 15: up-cross while in a position (no second entry).
  assert.deepEqual(summary, ["7:enter", "9:exit", "10:enter", "17:exit"]);
});

Deno.test("sma_cross check rejects fast >= slow and accepts fast < slow", () => {
  assert.deepEqual(smaCrossDefinition.check({ fast: 10, slow: 30 }), []);
  for (const [fast, slow] of [[30, 30], [31, 30]]) {
    const problems = smaCrossDefinition.check({ fast, slow });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].key, "fast");
    assert.match(problems[0].message, /less than slow/);
  }
});

Deno.test("sma_cross params default to 10/30 and reject out-of-bounds periods", () => {
  assert.deepEqual(smaCrossDefinition.params.parse({}), { fast: 10, slow: 30 });
  assert.equal(smaCrossDefinition.params.safeParse({ fast: 1 }).success, false);
  assert.equal(smaCrossDefinition.params.safeParse({ slow: 2.5 }).success, false);
  const strategy = smaCrossDefinition.create({ fast: 10, slow: 30 }, { timeframe: "1h" });
  assert.equal(strategy.warmupCandles, 30);
});
