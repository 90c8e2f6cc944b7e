/**
 * Properties of compiled rules on generated expressions: every well-formed expression compiles
 * and evaluates without throwing; evaluated candle by candle it equals a plain batch interpreter
 * that evaluates each sub-expression over the whole series at once (no graph, no sharing); the
 * derived warm-up is exact; and a run on a prefix of the candles decides exactly like the full
 * run up to the prefix's end (no lookahead).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { Atr, BollingerBands, type Candle, RollingVwap, Stochastic } from "../../strategy_api.ts";
import { loadSampleCandles } from "../../../tests/support/sample_candles.ts";
import { runStrategy } from "../../../tests/support/run_strategy.ts";
import { compileRule } from "./compile_rule.ts";
import { parseRule } from "./parse_rule.ts";
import { GraphBuilder } from "./rule_graph.ts";
import { rulesDefinition } from "./rules.ts";
import { type Expr, expressions, PARAMS, print, smallCandles } from "./_test_support.ts";

type Series = Float64Array;
const RUNS = { numRuns: 300, seed: 20_250_710 };

/** `f` over the finite values of `x` only, scattered back; missing elsewhere (as the graph feeds). */
function onPresent(x: Series, f: (present: number[]) => number[]): Series {
  const at: number[] = [];
  const present: number[] = [];
  x.forEach((value, i) => {
    if (Number.isFinite(value)) {
      at.push(i);
      present.push(value);
    }
  });
  const result = f(present);
  const out = new Float64Array(x.length).fill(NaN);
  at.forEach((i, j) => out[i] = result[j]);
  return out;
}

function sma(xs: number[], n: number): number[] {
  let sum = 0;
  return xs.map((x, i) => {
    sum += i < n ? x : x - xs[i - n];
    return i >= n - 1 ? sum / n : NaN;
  });
}

function ema(xs: number[], n: number): number[] {
  let value = NaN, sum = 0;
  return xs.map((x, i) => {
    if (i < n) {
      sum += x;
      if (i === n - 1) value = sum / n;
    } else value += (x - value) * (2 / (n + 1));
    return value;
  });
}

function rsi(xs: number[], n: number): number[] {
  let gain = 0, loss = 0;
  return xs.map((x, i) => {
    if (i === 0) return NaN;
    const change = x - xs[i - 1];
    const up = change > 0 ? change : 0, down = change < 0 ? -change : 0;
    if (i > n) {
      gain = (gain * (n - 1) + up) / n;
      loss = (loss * (n - 1) + down) / n;
    } else {
      gain += up;
      loss += down;
      if (i < n) return NaN;
      gain /= n;
      loss /= n;
    }
    return loss === 0 ? 100 : gain === 0 ? 0 : 100 - 100 / (1 + gain / loss);
  });
}

function windowed(xs: number[], n: number, pick: (window: number[]) => number): number[] {
  return xs.map((_, i) => i >= n - 1 ? pick(xs.slice(i - n + 1, i + 1)) : NaN);
}

function macd(xs: number[], fast: number, slow: number, signal: number): number[][] {
  const fastEma = ema(xs, fast), slowEma = ema(xs, slow);
  const line = xs.map((_, i) => i >= slow - 1 ? fastEma[i] - slowEma[i] : NaN);
  const signalLine = [
    ...new Array(Math.min(slow - 1, xs.length)).fill(NaN),
    ...ema(line.slice(slow - 1), signal),
  ];
  return [line, signalLine, line.map((l, i) => l - signalLine[i])];
}

/** Whether `expr` is a condition (true/false) rather than a number. */
function isCondition(expr: Expr): boolean {
  if (expr.k === "not") return true;
  if (expr.k === "binary") return !"+-*/".includes(expr.op);
  if (expr.k !== "call") return false;
  return expr.name.startsWith("crosses_") || (expr.name === "prev" && isCondition(expr.args[0]));
}

function shift(x: Series, k: number, fill: number): Series {
  return x.map((_, i) => i >= k ? x[i - k] : fill);
}

/** Evaluates `expr` over every candle at once. */
function batch(expr: Expr, candles: readonly Candle[]): Series {
  const n = candles.length;
  const map = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  switch (expr.k) {
    case "series":
      return map((i) => candles[i][expr.name]);
    case "literal":
    case "param":
      return new Float64Array(n).fill(expr.value);
    case "negate": {
      const x = batch(expr.x, candles);
      return map((i) => -x[i]);
    }
    case "not": {
      const x = batch(expr.x, candles);
      return map((i) => x[i] === 1 ? 0 : 1);
    }
    case "binary": {
      const a = batch(expr.l, candles), b = batch(expr.r, candles);
      return map((i) => binary(expr.op, a[i], b[i]));
    }
    case "call":
      return call(expr.name, expr.args, candles);
  }
}

function binary(op: string, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return b === 0 ? NaN : a / b;
    case "<":
      return a < b ? 1 : 0;
    case "<=":
      return a <= b ? 1 : 0;
    case ">":
      return a > b ? 1 : 0;
    case ">=":
      return a >= b ? 1 : 0;
    case "==":
      return a === b ? 1 : 0;
    case "!=":
      return !Number.isNaN(a) && !Number.isNaN(b) && a !== b ? 1 : 0;
    case "and":
      return a === 1 && b === 1 ? 1 : 0;
    default:
      return a === 1 || b === 1 ? 1 : 0;
  }
} // deno-fmt-ignore

function call(name: string, args: readonly Expr[], candles: readonly Candle[]): Series {
  const constant = (i: number) => (args[i] as { value: number }).value;
  const x = () => batch(args[0], candles);
  const bars = <T>(make: () => { update(bar: Candle): number; readonly d?: number }, read?: "d") =>
    candles.map(((indicator) => (bar: Candle) => {
      const value = indicator.update(bar);
      return read === "d" ? indicator.d! : value;
    })(make())) as unknown as T;
  switch (name) {
    case "sma": return onPresent(x(), (xs) => sma(xs, constant(1)));
    case "ema": return onPresent(x(), (xs) => ema(xs, constant(1)));
    case "rsi": return onPresent(x(), (xs) => rsi(xs, constant(1)));
    case "highest": return onPresent(x(), (xs) => windowed(xs, constant(1), (w) => Math.max(...w)));
    case "lowest": return onPresent(x(), (xs) => windowed(xs, constant(1), (w) => Math.min(...w)));
    case "stdev": case "bb_middle": case "bb_upper": case "bb_lower": {
      const which = name === "stdev" ? 1 : name === "bb_middle" ? 0 : name === "bb_upper" ? 2 : 3;
      return onPresent(x(), (xs) => {
        const bb = new BollingerBands(constant(1), { multiplier: which > 1 ? constant(2) : 2 });
        return xs.map((v) => {
          bb.update(v);
          return [bb.value, bb.stdDev, bb.upper, bb.lower][which];
        });
      });
    }
    case "macd_line": case "macd_signal": case "macd_hist":
      return onPresent(x(), (xs) => macd(xs, constant(1), constant(2), constant(3))[["macd_line", "macd_signal", "macd_hist"].indexOf(name)]);
    case "atr": return Float64Array.from(bars<number[]>(() => new Atr(constant(0))));
    case "vwap": return Float64Array.from(bars<number[]>(() => new RollingVwap(constant(0))));
    case "stoch_k": case "stoch_d": {
      const k = constant(1);
      const slowK = Float64Array.from(bars<number[]>(() => new Stochastic(constant(0), { dPeriod: k }), k === 1 ? undefined : "d"));
      return name === "stoch_k" ? slowK : onPresent(slowK, (xs) => sma(xs, constant(2)));
    }
    case "prev": return shift(x(), constant(1), isCondition(args[0]) ? 0 : NaN);
    case "change": { const v = x(), p = shift(v, constant(1), NaN); return v.map((value, i) => value - p[i]); }
    case "roc": {
      const v = x(), p = shift(v, constant(1), NaN);
      return v.map((value, i) => 100 * binary("/", value - p[i], p[i]));
    }
    case "crosses_above": case "crosses_below": {
      const a = batch(args[0], candles), b = batch(args[1], candles), up = name === "crosses_above";
      return a.map((_, i) => i > 0 && (up ? a[i - 1] < b[i - 1] && a[i] > b[i] : a[i - 1] > b[i - 1] && a[i] < b[i]) ? 1 : 0);
    }
    case "abs": return x().map(Math.abs);
    case "sqrt": return x().map(Math.sqrt);
    case "log": return x().map(Math.log);
    default: {
      const all = args.map((arg) => batch(arg, candles));
      const pick = name === "min" ? Math.min : Math.max;
      return all.reduce((a, b) => a.map((value, i) => pick(value, b[i])));
    }
  }
} // deno-fmt-ignore

/** The names of the params `expr` reads. */
function paramsOf(expr: Expr, into = new Set<string>()): Set<string> {
  if (expr.k === "param") into.add(expr.name);
  if (expr.k === "negate" || expr.k === "not") paramsOf(expr.x, into);
  if (expr.k === "binary") [expr.l, expr.r].forEach((child) => paramsOf(child, into));
  if (expr.k === "call") expr.args.forEach((child) => paramsOf(child, into));
  return into;
}

/** `text` compiled alone and fed `candles` one at a time: its value on each, and its warm-up. */
function stream(text: string, candles: readonly Candle[]): { values: number[]; warmup: number } {
  const builder = new GraphBuilder();
  const params = new Map(Object.entries(PARAMS));
  const scope = { params, role: "enter", holding: false, used: new Set<string>() };
  const ref = compileRule(parseRule(text), builder, scope);
  const graph = builder.finish().instantiate();
  const values = candles.map((candle) => {
    graph.update(candle, { position: null, closeTimeMs: candle.openTimeMs + 60_000 });
    return graph.values[ref.slot];
  });
  return { values, warmup: ref.warmup };
}

function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

const { number: numbers, boolean: conditions } = expressions();
const either = fc.oneof(numbers, conditions);

Deno.test("rules property: a generated expression prints, parses, compiles and evaluates without throwing", () => {
  fc.assert(
    fc.property(either, smallCandles(), (expr, candles) => {
      const { values } = stream(print(expr), candles);
      assert.equal(values.length, candles.length);
    }),
    RUNS,
  );
});

Deno.test("rules property: evaluated candle by candle, an expression equals the batch interpreter", () => {
  fc.assert(
    fc.property(either, smallCandles(), (expr, candles) => {
      const text = print(expr);
      const { values } = stream(text, candles);
      const expected = batch(expr, candles);
      values.forEach((value, i) => {
        assert.ok(same(value, expected[i]), `${text} at ${i}: ${value} != ${expected[i]}`);
      });
    }),
    RUNS,
  );
});

Deno.test("rules property: the derived warm-up is exact for numbers", () => {
  const mayGoMissing = /\/|sqrt|log|roc/;
  fc.assert(
    fc.property(numbers, smallCandles(), (expr, candles) => {
      const text = print(expr);
      const { values, warmup } = stream(text, candles);
      for (let i = 0; i < Math.min(warmup, values.length); i++) {
        assert.ok(Number.isNaN(values[i]), `${text}: value at ${i} before warm-up ${warmup}`);
      }
      if (!mayGoMissing.test(text) && warmup < values.length) {
        assert.ok(Number.isFinite(values[warmup]), `${text}: no value at warm-up ${warmup}`);
      }
    }),
    RUNS,
  );
});

Deno.test("rules property: no lookahead: a run on a prefix decides like the full run up to its end", () => {
  const candles = loadSampleCandles("binance_BTC-USDT_1h.csv").slice(0, 400);
  const rule = fc.record({
    enter: conditions,
    exit: conditions,
    stop: fc.option(numbers, { nil: null }),
    cut: fc.integer({ min: 0, max: candles.length }),
  });
  fc.assert(
    fc.property(rule, ({ enter, exit, stop, cut }) => {
      const used = [enter, exit, ...(stop === null ? [] : [stop])]
        .reduce((names, expr) => paramsOf(expr, names), new Set<string>());
      const params = rulesDefinition.params.parse({
        ...Object.fromEntries([...used].map((name) => [name, PARAMS[name]])),
        enter: print(enter),
        exit: print(exit),
        stop: stop === null ? null : print(stop),
      });
      const run = (slice: readonly Candle[]) =>
        runStrategy(rulesDefinition.create(params, { timeframe: "1h" }), slice, {
          timeframeMs: 3_600_000,
        });
      const full = run(candles);
      assert.deepEqual(run(candles.slice(0, cut)), full.filter((d) => d.index < cut));
    }),
    { numRuns: 150, seed: 20_250_711 },
  );
});
