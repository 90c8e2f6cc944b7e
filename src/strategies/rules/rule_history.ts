/**
 * Functions of a value's history: `prev` and what is built on it, and the strict crosses. They
 * keep state across candles like the indicators do.
 */
import { Cross } from "../../strategy_api.ts";
import type { FunctionSpec } from "./function_spec.ts";
import type { GraphBuilder, Ref } from "./rule_graph.ts";
import { binaryNode } from "./rule_operators.ts";

/** The value of `x` from `k` candles ago (a condition from k candles ago is false before then). */
function previous(builder: GraphBuilder, x: Ref, k: number): Ref {
  const output = { type: x.type, warmup: x.warmup + k };
  return builder.node(`prev(${x.slot},${k})`, [output], (values, _frame, [out]) => {
    const ring = new Float64Array(k).fill(x.type === "boolean" ? 0 : NaN);
    let next = 0;
    return () => {
      values[out] = ring[next];
      ring[next] = values[x.slot];
      next = next + 1 === k ? 0 : next + 1;
    };
  })[0];
}

/** A strict cross, as `sma_cross` defines it: output 0 is the up-cross, output 1 the down-cross. */
function cross(which: 0 | 1, summary: string): FunctionSpec {
  return {
    args: [["a", "number"], ["b", "number"]],
    stateful: true,
    summary,
    build(builder, [a, b]) {
      const output = { type: "boolean" as const, warmup: Math.max(a.warmup, b.warmup) + 1 };
      return builder.node(
        `cross(${a.slot},${b.slot})`,
        [output, output],
        (values, _f, [up, down]) => {
          const tracker = new Cross();
          return () => {
            const direction = tracker.update(values[a.slot], values[b.slot]);
            values[up] = direction === 1 ? 1 : 0;
            values[down] = direction === -1 ? 1 : 0;
          };
        },
      )[which];
    },
  };
}

/** The history functions, by name. */
export const HISTORY_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  prev: {
    args: [["x", "value"], ["k", "period"]],
    stateful: true,
    summary: "x as it was k candles ago",
    build: (builder, [x, k]) => previous(builder, x, k.constant!),
  },
  change: {
    args: [["x", "number"], ["k", "period"]],
    stateful: true,
    summary: "x − prev(x, k)",
    build: (builder, [x, k]) => binaryNode(builder, "-", x, previous(builder, x, k.constant!)),
  },
  roc: {
    args: [["x", "number"], ["k", "period"]],
    stateful: true,
    summary: "rate of change in %: 100 × (x − prev(x, k)) / prev(x, k)",
    build(builder, [x, k]) {
      const before = previous(builder, x, k.constant!);
      const change = binaryNode(builder, "-", x, before);
      return binaryNode(
        builder,
        "*",
        builder.constant(100),
        binaryNode(builder, "/", change, before),
      );
    },
  },
  crosses_above: cross(0, "a was below b on the previous candle and is above it now (strictly)"),
  crosses_below: cross(1, "a was above b on the previous candle and is below it now (strictly)"),
};
