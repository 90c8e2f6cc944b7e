/** Indicator throughput: our streaming classes beside technicalindicators and a plain loop. */
import * as ti from "technicalindicators";
import {
  Atr,
  BollingerBands,
  Donchian,
  Ema,
  Macd,
  RollingVwap,
  Rsi,
  Sma,
  Stochastic,
} from "../../src/indicators/mod.ts";
import type { VolumeBar } from "../../src/indicators/mod.ts";
import type { BenchResult } from "./harness.ts";
import * as loops from "./_indicator_loops.ts";
import type { BenchSeries } from "./_indicator_loops.ts";

/** Sizes of the synthetic series; technicalindicators is slow, so it gets fewer values. */
export interface IndicatorsBenchOptions {
  readonly values?: number;
  readonly libraryValues?: number;
}

interface Columns {
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly volume: number[];
}

interface IndicatorCase {
  readonly name: string;
  ours(bars: readonly VolumeBar[], closes: Float64Array): number;
  library(columns: Columns): unknown;
  loop(series: BenchSeries): number;
}

// Each case has its own loop: one shared helper would see every indicator class and go
// megamorphic, measuring V8's inline caches instead of the indicators (strategies hold one type).
const CASES: readonly IndicatorCase[] = [
  {
    name: "sma",
    ours: (_, closes) => {
      const sma = new Sma(20);
      let check = 0;
      for (let i = 0; i < closes.length; i++) check += sma.update(closes[i]) || 0;
      return check;
    },
    library: (c) => ti.SMA.calculate({ period: 20, values: c.close }),
    loop: (s) => loops.loopSma(s, 20),
  },
  {
    name: "ema",
    ours: (_, closes) => {
      const ema = new Ema(20);
      let check = 0;
      for (let i = 0; i < closes.length; i++) check += ema.update(closes[i]) || 0;
      return check;
    },
    library: (c) => ti.EMA.calculate({ period: 20, values: c.close }),
    loop: (s) => loops.loopEma(s, 20),
  },
  {
    name: "rsi",
    ours: (_, closes) => {
      const rsi = new Rsi(14);
      let check = 0;
      for (let i = 0; i < closes.length; i++) check += rsi.update(closes[i]) || 0;
      return check;
    },
    library: (c) => ti.RSI.calculate({ period: 14, values: c.close }),
    loop: (s) => loops.loopRsi(s, 14),
  },
  {
    name: "macd",
    ours: (_, closes) => {
      const macd = new Macd();
      let check = 0;
      for (let i = 0; i < closes.length; i++) {
        macd.update(closes[i]);
        check += macd.histogram || 0;
      }
      return check;
    },
    library: (c) =>
      ti.MACD.calculate({
        values: c.close,
        fastPeriod: 12,
        slowPeriod: 26,
        signalPeriod: 9,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      }),
    loop: (s) => loops.loopMacd(s),
  },
  {
    name: "bollinger",
    ours: (_, closes) => {
      const bands = new BollingerBands(20);
      let check = 0;
      for (let i = 0; i < closes.length; i++) {
        bands.update(closes[i]);
        check += bands.upper - bands.lower || 0;
      }
      return check;
    },
    library: (c) => ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: c.close }),
    loop: (s) => loops.loopBollinger(s, 20),
  },
  {
    name: "atr",
    ours: (bars) => {
      const atr = new Atr(14);
      let check = 0;
      for (let i = 0; i < bars.length; i++) check += atr.update(bars[i]) || 0;
      return check;
    },
    library: (c) => ti.ATR.calculate({ period: 14, high: c.high, low: c.low, close: c.close }),
    loop: (s) => loops.loopAtr(s, 14),
  },
  {
    name: "stochastic",
    ours: (bars) => {
      const stochastic = new Stochastic(14);
      let check = 0;
      for (let i = 0; i < bars.length; i++) check += stochastic.update(bars[i]) || 0;
      return check;
    },
    library: (c) =>
      ti.Stochastic.calculate({
        period: 14,
        signalPeriod: 3,
        high: c.high,
        low: c.low,
        close: c.close,
      }),
    loop: (s) => loops.loopStochastic(s, 14),
  },
  {
    name: "donchian",
    ours: (bars) => {
      const channel = new Donchian(20);
      let check = 0;
      for (let i = 0; i < bars.length; i++) check += channel.update(bars[i]) || 0;
      return check;
    },
    library: (c) => [
      ti.Highest.calculate({ period: 20, values: c.high }),
      ti.Lowest.calculate({ period: 20, values: c.low }),
    ],
    loop: (s) => loops.loopDonchian(s, 20),
  },
  {
    // technicalindicators only has a cumulative VWAP: the same per-value work, minus the window.
    name: "vwap",
    ours: (bars) => {
      const vwap = new RollingVwap(20);
      let check = 0;
      for (let i = 0; i < bars.length; i++) check += vwap.update(bars[i]) || 0;
      return check;
    },
    library: (c) =>
      ti.VWAP.calculate({ high: c.high, low: c.low, close: c.close, volume: c.volume }),
    loop: (s) => loops.loopVwap(s, 20),
  },
];

/** A seeded random walk (LCG), so every run measures the same numbers. */
function syntheticSeries(count: number): BenchSeries {
  const high = new Float64Array(count), low = new Float64Array(count);
  const close = new Float64Array(count), volume = new Float64Array(count);
  let seed = 42, price = 30_000;
  const next = () => (seed = (seed * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
  for (let i = 0; i < count; i++) {
    price *= 1 + (next() - 0.5) * 0.01;
    close[i] = price;
    high[i] = price * (1 + next() * 0.003);
    low[i] = price * (1 - next() * 0.003);
    volume[i] = next() * 100;
  }
  return { high, low, close, volume };
}

/** Best of `repeats` timed runs after one warm-up run, as values per second. */
function valuesPerSecond(run: () => unknown, count: number, repeats = 3): number {
  run();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return count / (Math.max(best, 1e-3) / 1000);
}

/** Runs every indicator case; names are `indicator.<name>`, unit `values/s`. */
export function indicatorsBench(options: IndicatorsBenchOptions = {}): Promise<BenchResult[]> {
  const { values = 1_000_000, libraryValues = 100_000 } = options;
  const series = syntheticSeries(values);
  const bars: VolumeBar[] = Array.from(series.close, (close, i) => ({
    high: series.high[i],
    low: series.low[i],
    close,
    volume: series.volume[i],
  }));
  const librarySize = Math.min(libraryValues, values);
  const columns: Columns = {
    high: Array.from(series.high.subarray(0, librarySize)),
    low: Array.from(series.low.subarray(0, librarySize)),
    close: Array.from(series.close.subarray(0, librarySize)),
    volume: Array.from(series.volume.subarray(0, librarySize)),
  };
  const results = CASES.map((indicatorCase): BenchResult => {
    const ours = valuesPerSecond(() => indicatorCase.ours(bars, series.close), values);
    const reference = valuesPerSecond(() => indicatorCase.library(columns), librarySize, 2);
    const loop = valuesPerSecond(() => indicatorCase.loop(series), values);
    return {
      name: `indicator.${indicatorCase.name}`,
      value: ours,
      unit: "values/s",
      reference,
      ratio: ours / reference,
      ratioToLoop: ours / loop,
    };
  });
  return Promise.resolve(results);
}
