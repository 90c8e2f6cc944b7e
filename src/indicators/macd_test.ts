import { MACD } from "technicalindicators";
import fc from "fast-check";
import assert from "node:assert/strict";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { Macd } from "./macd.ts";
import { assertSeriesClose, assertWarmup, padFront, pricesArbitrary } from "./_test_support.ts";

function batchEma(values: readonly number[], period: number, start: number): number[] {
  const out = new Array<number>(values.length).fill(NaN);
  if (values.length - start < period) return out;
  let ema = 0;
  for (let i = start; i < start + period; i++) ema += values[i] / period;
  out[start + period - 1] = ema;
  for (let i = start + period; i < values.length; i++) {
    ema += (values[i] - ema) * (2 / (period + 1));
    out[i] = ema;
  }
  return out;
}

/** MACD from its definition: EMA(fast) − EMA(slow), signal = EMA of the line once it exists. */
function batchMacd(values: readonly number[], fast: number, slow: number, signal: number) {
  const fastEma = batchEma(values, fast, 0), slowEma = batchEma(values, slow, 0);
  const line = values.map((_, i) => (i < slow - 1 ? NaN : fastEma[i] - slowEma[i]));
  const signalLine = batchEma(line, signal, slow - 1);
  return { line, signal: signalLine, histogram: line.map((value, i) => value - signalLine[i]) };
}

function streamMacd(macd: Macd, values: readonly number[]) {
  const line: number[] = [], signal: number[] = [], histogram: number[] = [];
  for (const value of values) {
    line.push(macd.update(value));
    signal.push(macd.signal);
    histogram.push(macd.histogram);
  }
  return { line, signal, histogram };
}

const closes = loadSampleCandles("binance_BTC-USDT_1h.csv").map((candle) => candle.close);

Deno.test("Macd matches technicalindicators (EMA mode) and a batch MACD on BTC/USDT 1h", () => {
  const actual = streamMacd(new Macd(), closes);
  const oracle = MACD.calculate({
    values: closes,
    fastPeriod: 12,
    slowPeriod: 26,
    signalPeriod: 9,
    SimpleMAOscillator: false,
    SimpleMASignal: false,
  });
  const n = closes.length;
  assert.equal(oracle.length, n - new Macd().warmup);
  const pick = (key: "MACD" | "signal" | "histogram") =>
    padFront(oracle.map((row) => row[key] ?? NaN), n);
  assertSeriesClose(actual.line, pick("MACD"), { relative: 1e-7, label: "line" });
  assertSeriesClose(actual.signal, pick("signal"), { relative: 1e-7, label: "signal" });
  assertSeriesClose(actual.histogram, pick("histogram"), { absolute: 1e-6, label: "histogram" });
  const batch = batchMacd(closes, 12, 26, 9);
  assertSeriesClose(actual.line, batch.line, { relative: 1e-7, label: "batch line" });
  assertSeriesClose(actual.signal, batch.signal, { relative: 1e-7, label: "batch signal" });
});

Deno.test("Macd streaming equals batch and respects both warm-ups (property)", () => {
  const periods = fc.tuple(
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 1, max: 15 }),
  );
  fc.assert(fc.property(pricesArbitrary(), periods, (values, [fast, extra, signal]) => {
    const slow = fast + extra;
    const macd = new Macd({ fast, slow, signal });
    const actual = streamMacd(macd, values);
    assert.equal(macd.warmup, slow - 1);
    assert.equal(macd.signalWarmup, slow - 1 + signal - 1);
    assertWarmup(actual.line, macd.warmup);
    assertWarmup(actual.signal, macd.signalWarmup);
    const batch = batchMacd(values, fast, slow, signal);
    assertSeriesClose(actual.line, batch.line, { absolute: 1e-6 });
    assertSeriesClose(actual.signal, batch.signal, { absolute: 1e-6 });
  }));
});
