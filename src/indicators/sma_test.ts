import { SMA } from "technicalindicators";
import fc from "fast-check";
import assert from "node:assert/strict";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { Sma } from "./sma.ts";
import {
  assertSeriesClose,
  assertWarmup,
  padFront,
  pricesArbitrary,
  stream,
} from "./_test_support.ts";

function batchSma(values: readonly number[], period: number): number[] {
  return values.map((_, i) => {
    if (i < period - 1) return NaN;
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += values[j];
    return sum / period;
  });
}

const closes = loadSampleCandles("binance_BTC-USDT_1h.csv").map((candle) => candle.close);

Deno.test("Sma matches technicalindicators and a batch SMA on BTC/USDT 1h", () => {
  for (const period of [1, 10, 30, 200]) {
    const actual = stream(new Sma(period), closes);
    const oracle = SMA.calculate({ period, values: closes });
    assert.equal(oracle.length, closes.length - new Sma(period).warmup);
    assertSeriesClose(actual, padFront(oracle, closes.length), { label: `sma(${period})` });
    assertSeriesClose(actual, batchSma(closes, period), { label: `batch sma(${period})` });
  }
});

Deno.test("Sma streaming equals batch and respects its warm-up (property)", () => {
  fc.assert(fc.property(pricesArbitrary(), fc.integer({ min: 1, max: 60 }), (values, period) => {
    const sma = new Sma(period);
    const actual = stream(sma, values);
    assert.equal(sma.warmup, period - 1);
    assertWarmup(actual, sma.warmup);
    assertSeriesClose(actual, batchSma(values, period));
    assert.equal(Object.is(sma.value, actual.at(-1) ?? NaN), true);
  }));
});
