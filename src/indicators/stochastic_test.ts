import { Stochastic as TiStochastic } from "technicalindicators";
import fc from "fast-check";
import assert from "node:assert/strict";
import type { Bar } from "./indicator.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { Stochastic } from "./stochastic.ts";
import {
  assertSeriesClose,
  assertWarmup,
  barsArbitrary,
  columns,
  padFront,
} from "./_test_support.ts";

/** %K by scanning each window; %D as the plain mean of the last `dPeriod` %K values. */
function batchStochastic(bars: readonly Bar[], period: number, dPeriod: number) {
  const k = bars.map((bar, i) => {
    if (i < period - 1) return NaN;
    const window = bars.slice(i - period + 1, i + 1);
    const highest = Math.max(...window.map((b) => b.high));
    const lowest = Math.min(...window.map((b) => b.low));
    return highest === lowest ? 0 : (100 * (bar.close - lowest)) / (highest - lowest);
  });
  const d = k.map((_, i) => {
    if (i < period + dPeriod - 2) return NaN;
    return k.slice(i - dPeriod + 1, i + 1).reduce((a, b) => a + b, 0) / dPeriod;
  });
  return { k, d };
}

function streamStochastic(stochastic: Stochastic, bars: readonly Bar[]) {
  const k: number[] = [], d: number[] = [];
  for (const bar of bars) {
    k.push(stochastic.update(bar));
    d.push(stochastic.d);
  }
  return { k, d };
}

const candles = loadSampleCandles("binance_BTC-USDT_1h.csv");

Deno.test("Stochastic matches technicalindicators and a scanning batch on BTC/USDT 1h", () => {
  const { high, low, close } = columns(candles);
  for (const [period, dPeriod] of [[14, 3], [5, 5], [50, 1]]) {
    const actual = streamStochastic(new Stochastic(period, { dPeriod }), candles);
    const oracle = TiStochastic.calculate({ period, signalPeriod: dPeriod, high, low, close });
    assert.equal(oracle.length, candles.length - (period - 1));
    const n = candles.length;
    assertSeriesClose(actual.k, padFront(oracle.map((row) => row.k), n), { label: "k" });
    assertSeriesClose(actual.d, padFront(oracle.map((row) => row.d ?? NaN), n), { label: "d" });
    const batch = batchStochastic(candles, period, dPeriod);
    assertSeriesClose(actual.k, batch.k, { label: "batch k" });
    assertSeriesClose(actual.d, batch.d, { label: "batch d" });
  }
});

Deno.test("Stochastic streaming equals batch and respects both warm-ups (property)", () => {
  const periods = fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5 }));
  fc.assert(fc.property(barsArbitrary(), periods, (bars, [period, dPeriod]) => {
    const stochastic = new Stochastic(period, { dPeriod });
    const actual = streamStochastic(stochastic, bars);
    assert.equal(stochastic.warmup, period - 1);
    assert.equal(stochastic.dWarmup, period + dPeriod - 2);
    assertWarmup(actual.k, stochastic.warmup);
    assertWarmup(actual.d, stochastic.dWarmup);
    const batch = batchStochastic(bars, period, dPeriod);
    assertSeriesClose(actual.k, batch.k, { absolute: 1e-7 });
    assertSeriesClose(actual.d, batch.d, { absolute: 1e-7 });
  }));
});
