import { EMA } from "technicalindicators";
import fc from "fast-check";
import assert from "node:assert/strict";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { Ema } from "./ema.ts";
import {
  assertSeriesClose,
  assertWarmup,
  padFront,
  pricesArbitrary,
  stream,
} from "./_test_support.ts";

/** Textbook EMA: SMA of the first `period` values, then alpha = 2 / (period + 1). */
function batchEma(values: readonly number[], period: number): number[] {
  const out = new Array<number>(values.length).fill(NaN);
  if (values.length < period) return out;
  let ema = values.slice(0, period).reduce((sum, value) => sum + value, 0) / period;
  out[period - 1] = ema;
  const alpha = 2 / (period + 1);
  for (let i = period; i < values.length; i++) {
    ema = alpha * values[i] + (1 - alpha) * ema;
    out[i] = ema;
  }
  return out;
}

const closes = loadSampleCandles("binance_BTC-USDT_1h.csv").map((candle) => candle.close);

Deno.test("Ema matches technicalindicators and a batch EMA on BTC/USDT 1h", () => {
  for (const period of [1, 9, 50, 200]) {
    const actual = stream(new Ema(period), closes);
    const oracle = EMA.calculate({ period, values: closes });
    assert.equal(oracle.length, closes.length - new Ema(period).warmup);
    assertSeriesClose(actual, padFront(oracle, closes.length), { label: `ema(${period})` });
    assertSeriesClose(actual, batchEma(closes, period), { label: `batch ema(${period})` });
  }
});

Deno.test("Ema streaming equals batch and respects its warm-up (property)", () => {
  fc.assert(fc.property(pricesArbitrary(), fc.integer({ min: 1, max: 60 }), (values, period) => {
    const ema = new Ema(period);
    const actual = stream(ema, values);
    assert.equal(ema.warmup, period - 1);
    assertWarmup(actual, ema.warmup);
    assertSeriesClose(actual, batchEma(values, period));
  }));
});
