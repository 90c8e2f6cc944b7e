import { VWAP } from "technicalindicators";
import fc from "fast-check";
import assert from "node:assert/strict";
import type { VolumeBar } from "./indicator.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { RollingVwap } from "./rolling_vwap.ts";
import {
  assertSeriesClose,
  assertWarmup,
  barsArbitrary,
  columns,
  stream,
} from "./_test_support.ts";

/** Window sums from scratch; an all-zero-volume window yields the last typical price. */
function batchVwap(bars: readonly VolumeBar[], period: number): number[] {
  return bars.map((bar, i) => {
    if (i < period - 1) return NaN;
    let priceVolume = 0, volume = 0;
    for (const b of bars.slice(i - period + 1, i + 1)) {
      priceVolume += ((b.high + b.low + b.close) / 3) * b.volume;
      volume += b.volume;
    }
    return volume > 0 ? priceVolume / volume : (bar.high + bar.low + bar.close) / 3;
  });
}

/**
 * technicalindicators' VWAP is cumulative, so the oracle runs it on each window. On a window
 * with no volume it returns 0/0 = NaN; there our documented fallback (typical price) applies.
 */
function oracleVwap(bars: readonly VolumeBar[], period: number): number[] {
  const all = columns(bars);
  return bars.map((_, i) => {
    if (i < period - 1) return NaN;
    const from = i - period + 1, to = i + 1;
    const result = VWAP.calculate({
      high: all.high.slice(from, to),
      low: all.low.slice(from, to),
      close: all.close.slice(from, to),
      volume: all.volume.slice(from, to),
    });
    const value = result[result.length - 1];
    return Number.isNaN(value) ? (all.high[i] + all.low[i] + all.close[i]) / 3 : value;
  });
}

const candles = loadSampleCandles("binance_ETH-USDT_15m.csv");

Deno.test("RollingVwap matches windowed technicalindicators VWAP and a batch on ETH/USDT 15m", () => {
  // The file has zero-volume candles, so period 1 exercises the no-volume fallback.
  assert.ok(candles.some((candle) => candle.volume === 0));
  for (const period of [1, 20, 96]) {
    const actual = stream(new RollingVwap(period), candles);
    assertSeriesClose(actual, oracleVwap(candles, period), { label: `vwap(${period})` });
    assertSeriesClose(actual, batchVwap(candles, period), { label: `batch vwap(${period})` });
  }
});

Deno.test("RollingVwap streaming equals batch and respects its warm-up (property)", () => {
  fc.assert(fc.property(barsArbitrary(), fc.integer({ min: 1, max: 40 }), (bars, period) => {
    const vwap = new RollingVwap(period);
    const actual = stream(vwap, bars);
    assert.equal(vwap.warmup, period - 1);
    assertWarmup(actual, vwap.warmup);
    assertSeriesClose(actual, batchVwap(bars, period), { relative: 1e-7 });
  }));
});
