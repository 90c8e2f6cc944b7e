import { Highest, Lowest } from "technicalindicators";
import fc from "fast-check";
import assert from "node:assert/strict";
import type { Bar } from "./indicator.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { Donchian } from "./donchian.ts";
import {
  assertSeriesClose,
  assertWarmup,
  barsArbitrary,
  columns,
  padFront,
} from "./_test_support.ts";

/** Upper and lower by scanning each window of bars. */
function batchDonchian(bars: readonly Bar[], period: number) {
  const upper = bars.map((_, i) =>
    i < period - 1 ? NaN : Math.max(...bars.slice(i - period + 1, i + 1).map((bar) => bar.high))
  );
  const lower = bars.map((_, i) =>
    i < period - 1 ? NaN : Math.min(...bars.slice(i - period + 1, i + 1).map((bar) => bar.low))
  );
  return { upper, lower, middle: upper.map((value, i) => (value + lower[i]) / 2) };
}

function streamDonchian(channel: Donchian, bars: readonly Bar[]) {
  const upper: number[] = [], lower: number[] = [], middle: number[] = [];
  for (const bar of bars) {
    middle.push(channel.update(bar));
    upper.push(channel.upper);
    lower.push(channel.lower);
  }
  return { upper, lower, middle };
}

const candles = loadSampleCandles("binance_BTC-USDT_1h.csv");

Deno.test("Donchian matches technicalindicators Highest/Lowest and a scanning batch on BTC/USDT 1h", () => {
  const { high, low } = columns(candles);
  for (const period of [1, 10, 20, 55]) {
    const actual = streamDonchian(new Donchian(period), candles);
    const n = candles.length;
    const upper = Highest.calculate({ period, values: high });
    const lower = Lowest.calculate({ period, values: low });
    assert.equal(upper.length, n - new Donchian(period).warmup);
    assertSeriesClose(actual.upper, padFront(upper, n), {
      relative: 0,
      absolute: 0,
      label: "upper",
    });
    assertSeriesClose(actual.lower, padFront(lower, n), {
      relative: 0,
      absolute: 0,
      label: "lower",
    });
    const batch = batchDonchian(candles, period);
    assertSeriesClose(actual.middle, batch.middle, { relative: 0, absolute: 0, label: "middle" });
  }
});

Deno.test("Donchian streaming equals batch exactly and respects its warm-up (property)", () => {
  fc.assert(fc.property(barsArbitrary(), fc.integer({ min: 1, max: 40 }), (bars, period) => {
    const channel = new Donchian(period);
    const actual = streamDonchian(channel, bars);
    assert.equal(channel.warmup, period - 1);
    assertWarmup(actual.middle, channel.warmup);
    const batch = batchDonchian(bars, period);
    assert.deepEqual(actual, batch);
  }));
});
