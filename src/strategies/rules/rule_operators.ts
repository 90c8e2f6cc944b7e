/**
 * The operators: one function per operator gives its value, used both on each candle and to fold
 * constants at compile time, so `2 * fast` means the same either way. A missing value (`NaN`)
 * stays missing through arithmetic, a comparison with it is false, and dividing by zero gives a
 * missing value rather than an infinity.
 */
import type { BinaryOperator } from "./rule_ast.ts";
import type { GraphBuilder, Ref, RuleType } from "./rule_graph.ts";

type Apply = (a: number, b: number) => number;

const APPLY: Readonly<Record<BinaryOperator, Apply>> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => b === 0 ? NaN : a / b,
  "<": (a, b) => a < b ? 1 : 0,
  "<=": (a, b) => a <= b ? 1 : 0,
  ">": (a, b) => a > b ? 1 : 0,
  ">=": (a, b) => a >= b ? 1 : 0,
  "==": (a, b) => a === b ? 1 : 0,
  "!=": (a, b) => a === a && b === b && a !== b ? 1 : 0,
  "and": (a, b) => a === 1 && b === 1 ? 1 : 0,
  "or": (a, b) => a === 1 || b === 1 ? 1 : 0,
};

/** The type each operator gives. */
export function operatorResult(operator: BinaryOperator): RuleType {
  return "+-*/".includes(operator) ? "number" : "boolean";
}

/** The value of `a operator b`, exactly as a candle computes it. */
export function applyOperator(operator: BinaryOperator, a: number, b: number): number {
  return APPLY[operator](a, b);
}

/** `left operator right`, folded when both are constant; operand types are checked already. */
export function binaryNode(
  builder: GraphBuilder,
  operator: BinaryOperator,
  left: Ref,
  right: Ref,
): Ref {
  const apply = APPLY[operator];
  const type = operatorResult(operator);
  if (left.constant !== undefined && right.constant !== undefined) {
    return builder.constant(apply(left.constant, right.constant), type);
  }
  const a = left.slot, b = right.slot;
  const output = { type, warmup: Math.max(left.warmup, right.warmup) };
  const usesPosition = left.usesPosition || right.usesPosition;
  return builder.node(`${operator}(${a},${b})`, [output], (values, _frame, [out]) => () => {
    values[out] = apply(values[a], values[b]);
  }, { usesPosition })[0];
}

/** A one-input function of the value on the same candle (`not`, unary minus, `abs` …). */
export function mapNode(
  builder: GraphBuilder,
  name: string,
  input: Ref,
  map: (x: number) => number,
  type: RuleType = "number",
): Ref {
  if (input.constant !== undefined) return builder.constant(map(input.constant), type);
  const x = input.slot;
  const output = { type, warmup: input.warmup };
  return builder.node(`${name}(${x})`, [output], (values, _frame, [out]) => () => {
    values[out] = map(values[x]);
  }, { usesPosition: input.usesPosition })[0];
}
