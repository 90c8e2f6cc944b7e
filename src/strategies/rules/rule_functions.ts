/**
 * Every function a rule can call, by name: its arguments, what it returns, and how it becomes
 * nodes of the graph (the indicators' nodes are in rule_indicators.ts).
 */
import { mapNode } from "./rule_operators.ts";
import type { FunctionSpec } from "./function_spec.ts";
import type { Frame, GraphBuilder, Ref } from "./rule_graph.ts";
import { HISTORY_FUNCTIONS } from "./rule_history.ts";
import { INDICATOR_FUNCTIONS } from "./rule_indicators.ts";

export type { ArgKind, FunctionSpec } from "./function_spec.ts";

/** A math function of one number. */
function math(name: string, map: (x: number) => number, summary: string): FunctionSpec {
  return {
    args: [["x", "number"]],
    summary,
    build: (builder, [x]) => mapNode(builder, name, x, map),
  };
}

/** `min`/`max` of two or more numbers; missing if any is. */
function extreme(name: string, pick: (a: number, b: number) => number): FunctionSpec {
  return {
    args: [["x", "number"]],
    variadic: true,
    summary: `the ${name === "min" ? "smallest" : "largest"} of two or more numbers`,
    build(builder, args) {
      return args.reduce((a, b) => {
        if (a.constant !== undefined && b.constant !== undefined) {
          return builder.constant(pick(a.constant, b.constant));
        }
        const output = { type: "number" as const, warmup: Math.max(a.warmup, b.warmup) };
        const usesPosition = a.usesPosition || b.usesPosition;
        return builder.node(`${name}(${a.slot},${b.slot})`, [output], (values, _f, [out]) => () => {
          values[out] = pick(values[a.slot], values[b.slot]);
        }, { usesPosition })[0];
      });
    },
  };
}

/** A fact about the open position; `NaN` while flat. */
function position(
  name: string,
  read: (frame: Frame) => number,
  summary: string,
): FunctionSpec {
  return {
    args: [],
    position: true,
    summary,
    build: (builder) =>
      builder.node(`${name}()`, [{ type: "number", warmup: 0 }], (values, frame, [out]) => () => {
        values[out] = read(frame);
      }, { usesPosition: true })[0],
  };
}

/** The function table, by name. */
export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  ...INDICATOR_FUNCTIONS,
  ...HISTORY_FUNCTIONS,
  abs: math("abs", Math.abs, "absolute value"),
  sqrt: math("sqrt", Math.sqrt, "square root (missing for negative x)"),
  log: math("log", Math.log, "natural logarithm (missing for x ≤ 0)"),
  min: extreme("min", Math.min),
  max: extreme("max", Math.max),
  bars_since_entry: position(
    "bars_since_entry",
    ({ candle, context }) => {
      const { position, closeTimeMs } = context;
      if (position === null) return NaN;
      return Math.ceil((closeTimeMs - position.entryTimeMs) / (closeTimeMs - candle.openTimeMs));
    },
    "candles closed since the entry filled: 1 on the first candle held",
  ),
  entry_price: position(
    "entry_price",
    ({ context }) => context.position?.entryPrice ?? NaN,
    "the position's average entry price",
  ),
  highest_since_entry: position(
    "highest_since_entry",
    ({ context }) => context.position?.highestPrice ?? NaN,
    "the highest price since the entry filled: the fill price, then each candle's high",
  ),
};

/** The candle series a rule can read. */
export const SERIES = ["open", "high", "low", "close", "volume"] as const;

/** A node for one candle series. */
export function seriesNode(builder: GraphBuilder, name: (typeof SERIES)[number]): Ref {
  return builder.node(name, [{ type: "number", warmup: 0 }], (values, frame, [out]) => {
    switch (name) {
      case "open":
        return () => values[out] = frame.candle.open;
      case "high":
        return () => values[out] = frame.candle.high;
      case "low":
        return () => values[out] = frame.candle.low;
      case "close":
        return () => values[out] = frame.candle.close;
      case "volume":
        return () => values[out] = frame.candle.volume;
    }
  })[0];
}

/** `name(a, b, …)` as written in the docs. */
export function signature(name: string): string {
  const spec = FUNCTIONS[name];
  const args = spec.args.map(([arg]) => arg);
  return `${name}(${spec.variadic ? `${args[0]}1, ${args[0]}2, …` : args.join(", ")})`;
}
