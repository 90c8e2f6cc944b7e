/**
 * Graph nodes for the indicator functions, on the project's streaming indicators. An indicator is
 * fed only the candles on which its input has a value, so `sma(rsi(close, 14), 5)` starts once the
 * RSI has, and a missing input (say a division by zero) gives a missing output on that candle
 * without breaking the average for the candles after it.
 */
import {
  Atr,
  BollingerBands,
  Ema,
  type Indicator,
  Macd,
  RollingMax,
  RollingMin,
  RollingVwap,
  Rsi,
  Sma,
  Stochastic,
} from "../../strategy_api.ts";
import type { FunctionSpec } from "./function_spec.ts";
import type { GraphBuilder, Ref } from "./rule_graph.ts";

/** Feeds `indicator` each finite input; a missing input leaves it untouched and gives `NaN`. */
function seriesStep(indicator: Indicator<number>, values: Float64Array, x: number, out: number) {
  return () => {
    const input = values[x];
    values[out] = input - input === 0 ? indicator.update(input) : NaN;
  };
}

/** A one-series, one-period indicator such as `sma(x, n)`. */
function seriesIndicator(
  name: string,
  make: (period: number) => Indicator<number>,
  summary: string,
): FunctionSpec {
  return {
    args: [["x", "number"], ["n", "period"]],
    stateful: true,
    summary,
    build(builder, [x, n]) {
      const period = n.constant!;
      const warmup = x.warmup + make(period).warmup;
      return builder.node(`${name}(${x.slot},${period})`, [{ type: "number", warmup }], (
        values,
        _frame,
        [out],
      ) => seriesStep(make(period), values, x.slot, out))[0];
    },
  };
}

/** The Bollinger Bands node of `x` over `n`: its middle band and population standard deviation. */
function bands(builder: GraphBuilder, x: Ref, period: number): readonly Ref[] {
  const output = { type: "number" as const, warmup: x.warmup + period - 1 };
  return builder.node(`bb(${x.slot},${period})`, [output, output], (values, _frame, slots) => {
    const bb = new BollingerBands(period);
    const [middle, deviation] = slots;
    return () => {
      const input = values[x.slot];
      if (input - input === 0) {
        values[middle] = bb.update(input);
        values[deviation] = bb.stdDev;
      } else values[middle] = values[deviation] = NaN;
    };
  });
}

/** `middle ± k × deviation`, computed exactly as `BollingerBands.upper`/`lower` do. */
function band(name: string, sign: 1 | -1, summary: string): FunctionSpec {
  return {
    args: [["x", "number"], ["n", "period"], ["k", "multiplier"]],
    stateful: true,
    summary,
    build(builder, [x, n, k]) {
      const [middle, deviation] = bands(builder, x, n.constant!);
      const multiplier = k.constant!;
      const output = { type: "number" as const, warmup: middle.warmup };
      return builder.node(
        `${name}(${middle.slot},${multiplier})`,
        [output],
        (values, _f, [out]) =>
          sign === 1
            ? () => values[out] = values[middle.slot] + multiplier * values[deviation.slot]
            : () => values[out] = values[middle.slot] - multiplier * values[deviation.slot],
      )[0];
    },
  };
}

/** The MACD node of `x`: line, signal and histogram, updated together. */
function macd(which: 0 | 1 | 2, summary: string): FunctionSpec {
  return {
    args: [["x", "number"], ["fast", "period"], ["slow", "period"], ["signal", "period"]],
    stateful: true,
    summary,
    check: ([, fast, slow]) =>
      fast < slow
        ? null
        : { arg: 2, message: `slow (${slow}) must be greater than fast (${fast})` },
    build(builder, [x, f, s, g]) {
      const [fast, slow, signal] = [f.constant!, s.constant!, g.constant!];
      const line = { type: "number" as const, warmup: x.warmup + slow - 1 };
      const lagging = { type: "number" as const, warmup: x.warmup + slow + signal - 2 };
      const key = `macd(${x.slot},${fast},${slow},${signal})`;
      return builder.node(key, [line, lagging, lagging], (values, _frame, [l, sg, h]) => {
        const indicator = new Macd({ fast, slow, signal });
        return () => {
          const input = values[x.slot];
          if (input - input === 0) {
            values[l] = indicator.update(input);
            values[sg] = indicator.signal;
            values[h] = indicator.histogram;
          } else values[l] = values[sg] = values[h] = NaN;
        };
      })[which];
    },
  };
}

/** An indicator of the whole candle (high, low, close, volume), such as `atr(n)`. */
function candleIndicator(
  name: string,
  make: (period: number) => Indicator<{ high: number; low: number; close: number; volume: number }>,
  summary: string,
): FunctionSpec {
  return {
    args: [["n", "period"]],
    stateful: true,
    summary,
    build(builder, [n]) {
      const period = n.constant!;
      const output = { type: "number" as const, warmup: make(period).warmup };
      return builder.node(`${name}(${period})`, [output], (values, frame, [out]) => {
        const indicator = make(period);
        return () => values[out] = indicator.update(frame.candle);
      })[0];
    },
  };
}

/** Slow stochastic %K: the SMA over `k` candles of %K over `n` (`k = 1`: the raw %K). */
function stochasticK(builder: GraphBuilder, n: number, k: number): Ref {
  const output = { type: "number" as const, warmup: n + k - 2 };
  return builder.node(`stoch_k(${n},${k})`, [output], (values, frame, [out]) => {
    const stochastic = new Stochastic(n, { dPeriod: k });
    return k === 1 ? () => values[out] = stochastic.update(frame.candle) : () => {
      stochastic.update(frame.candle);
      values[out] = stochastic.d;
    };
  })[0];
}

const STOCHASTIC_ARGS = [["n", "period"], ["k", "period"], ["d", "period"]] as const;
const SMA = seriesIndicator("sma", (n) => new Sma(n), "simple moving average of x over n candles");

/** The indicator functions, by name. */
export const INDICATOR_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  sma: SMA,
  ema: seriesIndicator("ema", (n) => new Ema(n), "exponential moving average, seeded with the SMA"),
  rsi: seriesIndicator("rsi", (n) => new Rsi(n), "relative strength index (Wilder), 0 to 100"),
  highest: seriesIndicator("highest", (n) => new RollingMax(n), "highest x of the last n candles"),
  lowest: seriesIndicator("lowest", (n) => new RollingMin(n), "lowest x of the last n candles"),
  stdev: {
    args: [["x", "number"], ["n", "period"]],
    stateful: true,
    summary: "population standard deviation of x over n candles",
    build: (builder, [x, n]) => bands(builder, x, n.constant!)[1],
  },
  macd_line: macd(0, "MACD line: EMA(fast) − EMA(slow) of x"),
  macd_signal: macd(1, "MACD signal line: EMA(signal) of the MACD line"),
  macd_hist: macd(2, "MACD histogram: line − signal"),
  bb_upper: band("bb_upper", 1, "upper Bollinger band: SMA + k population deviations"),
  bb_middle: {
    args: [["x", "number"], ["n", "period"], ["k", "multiplier"]],
    stateful: true,
    summary: "middle Bollinger band: the SMA of x over n",
    build: (builder, [x, n]) => bands(builder, x, n.constant!)[0],
  },
  bb_lower: band("bb_lower", -1, "lower Bollinger band: SMA − k population deviations"),
  atr: candleIndicator("atr", (n) => new Atr(n), "average true range (Wilder) over n candles"),
  vwap: candleIndicator(
    "vwap",
    (n) => new RollingVwap(n),
    "volume-weighted typical price, n candles",
  ),
  stoch_k: {
    args: STOCHASTIC_ARGS,
    stateful: true,
    summary: "stochastic %K over n candles, smoothed over k (k = 1: raw %K)",
    build: (builder, [n, k]) => stochasticK(builder, n.constant!, k.constant!),
  },
  stoch_d: {
    args: STOCHASTIC_ARGS,
    stateful: true,
    summary: "stochastic %D: the SMA of %K over d candles",
    build: (builder, [n, k, d]) =>
      SMA.build(builder, [stochasticK(builder, n.constant!, k.constant!), d]),
  },
};
