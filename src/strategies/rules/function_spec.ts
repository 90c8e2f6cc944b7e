/** The shape of a function a rule can call; `rule_functions.ts` holds the table of them. */
import type { GraphBuilder, Ref } from "./rule_graph.ts";

/**
 * `number`: any numeric expression; `value`: a number or a condition; `period`: a whole number
 * of candles, written as a literal or a param name; `multiplier`: a positive literal or param.
 */
export type ArgKind = "number" | "value" | "period" | "multiplier";

/** One callable function. */
export interface FunctionSpec {
  /** Argument names and kinds, in order. */
  readonly args: readonly (readonly [string, ArgKind])[];
  /** Takes any number (two or more) of arguments of the one kind listed. */
  readonly variadic?: boolean;
  /** Keeps history across candles, so the position (which comes and goes) cannot be its input. */
  readonly stateful?: boolean;
  /** Reads the open position: no value while flat. */
  readonly position?: boolean;
  /** One line for the docs. */
  readonly summary: string;
  /** A problem with the constant arguments: which argument (0-based) and why; null when fine. */
  check?(constants: readonly number[]): { arg: number; message: string } | null;
  build(builder: GraphBuilder, args: readonly Ref[]): Ref;
}
