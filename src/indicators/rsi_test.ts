import { RSI } from "technicalindicators";
import fc from "fast-check";
import assert from "node:assert/strict";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { Rsi } from "./rsi.ts";
import {
  assertSeriesClose,
  assertWarmup,
  padFront,
  pricesArbitrary,
  stream,
} from "./_test_support.ts";

/** Wilder's RSI written out from the definition, one array pass per step. */
function batchRsi(values: readonly number[], period: number): number[] {
  const out = new Array<number>(values.length).fill(NaN);
  const gains = values.map((value, i) => (i === 0 ? 0 : Math.max(value - values[i - 1], 0)));
  const losses = values.map((value, i) => (i === 0 ? 0 : Math.max(values[i - 1] - value, 0)));
  let averageGain = 0, averageLoss = 0;
  for (let i = 1; i < values.length; i++) {
    if (i < period) continue;
    if (i === period) {
      averageGain = gains.slice(1, period + 1).reduce((a, b) => a + b, 0) / period;
      averageLoss = losses.slice(1, period + 1).reduce((a, b) => a + b, 0) / period;
    } else {
      averageGain = (averageGain * (period - 1) + gains[i]) / period;
      averageLoss = (averageLoss * (period - 1) + losses[i]) / period;
    }
    out[i] = averageLoss === 0
      ? 100
      : averageGain === 0
      ? 0
      : 100 - 100 / (1 + averageGain / averageLoss);
  }
  return out;
}

const closes = loadSampleCandles("binance_BTC-USDT_1h.csv").map((candle) => candle.close);

Deno.test("Rsi matches technicalindicators (2-decimal rounding) and a batch RSI on BTC/USDT 1h", () => {
  for (const period of [2, 7, 14, 50]) {
    const actual = stream(new Rsi(period), closes);
    const oracle = RSI.calculate({ period, values: closes });
    assert.equal(oracle.length, closes.length - new Rsi(period).warmup);
    // technicalindicators rounds RSI to 2 decimals: half a unit in the last place, plus float noise.
    assertSeriesClose(actual, padFront(oracle, closes.length), {
      absolute: 0.005 + 1e-9,
      relative: 0,
      label: `rsi(${period})`,
    });
    assertSeriesClose(actual, batchRsi(closes, period), { label: `batch rsi(${period})` });
  }
});

Deno.test("Rsi streaming equals batch, stays in [0, 100] and respects its warm-up (property)", () => {
  fc.assert(fc.property(pricesArbitrary(), fc.integer({ min: 1, max: 40 }), (values, period) => {
    const rsi = new Rsi(period);
    const actual = stream(rsi, values);
    assert.equal(rsi.warmup, period);
    assertWarmup(actual, rsi.warmup);
    assertSeriesClose(actual, batchRsi(values, period), { absolute: 1e-7 });
    assert.ok(actual.every((value) => Number.isNaN(value) || (value >= 0 && value <= 100)));
  }));
});

Deno.test("Rsi is 100 on a rising series and 0 on a falling one", () => {
  assert.equal(stream(new Rsi(3), [1, 2, 3, 4, 5]).at(-1), 100);
  assert.equal(stream(new Rsi(3), [5, 4, 3, 2, 1]).at(-1), 0);
});
