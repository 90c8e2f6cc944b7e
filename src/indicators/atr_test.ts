import { ATR } from "technicalindicators";
import fc from "fast-check";
import assert from "node:assert/strict";
import type { Bar } from "./indicator.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { Atr } from "./atr.ts";
import {
  assertSeriesClose,
  assertWarmup,
  barsArbitrary,
  columns,
  padFront,
  stream,
} from "./_test_support.ts";

/** Wilder's ATR: true ranges from the second bar, seeded with their mean, then 1/period. */
function batchAtr(bars: readonly Bar[], period: number): number[] {
  const out = new Array<number>(bars.length).fill(NaN);
  const ranges = bars.map((bar, i) =>
    i === 0 ? NaN : Math.max(
      bar.high - bar.low,
      Math.abs(bar.high - bars[i - 1].close),
      Math.abs(bar.low - bars[i - 1].close),
    )
  );
  if (bars.length <= period) return out;
  let atr = ranges.slice(1, period + 1).reduce((a, b) => a + b, 0) / period;
  out[period] = atr;
  for (let i = period + 1; i < bars.length; i++) {
    atr = (atr * (period - 1) + ranges[i]) / period;
    out[i] = atr;
  }
  return out;
}

const candles = loadSampleCandles("binance_BTC-USDT_1h.csv");

Deno.test("Atr matches technicalindicators and a batch Wilder ATR on BTC/USDT 1h", () => {
  const { high, low, close } = columns(candles);
  for (const period of [1, 14, 50]) {
    const actual = stream(new Atr(period), candles);
    const oracle = ATR.calculate({ period, high, low, close });
    assert.equal(oracle.length, candles.length - new Atr(period).warmup);
    assertSeriesClose(actual, padFront(oracle, candles.length), { label: `atr(${period})` });
    assertSeriesClose(actual, batchAtr(candles, period), { label: `batch atr(${period})` });
  }
});

Deno.test("Atr streaming equals batch and respects its warm-up (property)", () => {
  fc.assert(fc.property(barsArbitrary(), fc.integer({ min: 1, max: 40 }), (bars, period) => {
    const atr = new Atr(period);
    const actual = stream(atr, bars);
    assert.equal(atr.warmup, period);
    assertWarmup(actual, atr.warmup);
    assertSeriesClose(actual, batchAtr(bars, period), { absolute: 1e-7 });
  }));
});

Deno.test("Atr branch-free true range is bit-identical to max/min on real candles", () => {
  // The streaming recurrence with the textbook max(high, prev) − min(low, prev) true range.
  const period = 14, expected: number[] = [];
  let sum = 0, value = NaN;
  for (let i = 0; i < candles.length; i++) {
    if (i === 0) {
      expected.push(NaN);
      continue;
    }
    const previous = candles[i - 1].close;
    const range = Math.max(candles[i].high, previous) - Math.min(candles[i].low, previous);
    if (i <= period) {
      sum += range;
      if (i === period) value = sum / period;
    } else value += (range - value) * (1 / period);
    expected.push(value);
  }
  assert.deepEqual(stream(new Atr(period), candles), expected);
});
