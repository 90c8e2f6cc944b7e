import { BollingerBands as TiBollingerBands } from "technicalindicators";
import fc from "fast-check";
import assert from "node:assert/strict";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { BollingerBands } from "./bollinger_bands.ts";
import { assertSeriesClose, assertWarmup, padFront, pricesArbitrary } from "./_test_support.ts";

/** Two-pass mean and population standard deviation per window. */
function batchBands(values: readonly number[], period: number, multiplier: number) {
  const middle: number[] = [], upper: number[] = [], lower: number[] = [];
  values.forEach((_, i) => {
    if (i < period - 1) return [middle, upper, lower].forEach((series) => series.push(NaN));
    const window = values.slice(i - period + 1, i + 1);
    const mean = window.reduce((a, b) => a + b, 0) / period;
    const deviation = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / period);
    middle.push(mean);
    upper.push(mean + multiplier * deviation);
    lower.push(mean - multiplier * deviation);
  });
  return { middle, upper, lower };
}

function streamBands(bands: BollingerBands, values: readonly number[]) {
  const middle: number[] = [], upper: number[] = [], lower: number[] = [];
  for (const value of values) {
    middle.push(bands.update(value));
    upper.push(bands.upper);
    lower.push(bands.lower);
  }
  return { middle, upper, lower };
}

const closes = loadSampleCandles("binance_BTC-USDT_1h.csv").map((candle) => candle.close);

Deno.test("BollingerBands match technicalindicators and a two-pass batch on BTC/USDT 1h", () => {
  for (const [period, multiplier] of [[20, 2], [50, 2.5], [5, 1]]) {
    const actual = streamBands(new BollingerBands(period, { multiplier }), closes);
    const oracle = TiBollingerBands.calculate({ period, stdDev: multiplier, values: closes });
    assert.equal(oracle.length, closes.length - (period - 1));
    for (const key of ["middle", "upper", "lower"] as const) {
      const expected = padFront(oracle.map((row) => row[key]), closes.length);
      assertSeriesClose(actual[key], expected, { relative: 1e-9, label: key });
    }
    const batch = batchBands(closes, period, multiplier);
    for (const key of ["middle", "upper", "lower"] as const) {
      assertSeriesClose(actual[key], batch[key], { relative: 1e-9, label: `batch ${key}` });
    }
  }
});

Deno.test("BollingerBands streaming equals batch and respects its warm-up (property)", () => {
  const args = fc.tuple(
    fc.integer({ min: 1, max: 60 }),
    fc.double({ min: 0.5, max: 4, noNaN: true }),
  );
  fc.assert(fc.property(pricesArbitrary(), args, (values, [period, multiplier]) => {
    const bands = new BollingerBands(period, { multiplier });
    const actual = streamBands(bands, values);
    assert.equal(bands.warmup, period - 1);
    assertWarmup(actual.middle, bands.warmup);
    const batch = batchBands(values, period, multiplier);
    // Absolute slack for near-flat windows: rounding left by a large move that slid out of the
    // window is ~1e-16 of its square, prices reach 1e5 here.
    for (const key of ["middle", "upper", "lower"] as const) {
      assertSeriesClose(actual[key], batch[key], { relative: 1e-9, absolute: 1e-4 });
    }
  }));
});
