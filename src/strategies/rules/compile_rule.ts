/**
 * Type-checks one rule expression and compiles it into graph nodes. Every problem is a
 * `RuleError` at the place in the expression it concerns: an unknown name (with a "did you
 * mean"), a condition where a number belongs or the reverse, a wrong argument count, a period
 * that is not a whole number of candles written as a literal or a param, or the position read
 * where it has no value.
 */
import { type RuleAst, RuleError } from "./rule_ast.ts";
import { type ArgKind, FUNCTIONS, SERIES, seriesNode } from "./rule_functions.ts";
import { unknownFunction, unknownName } from "./unknown_names.ts";
import type { GraphBuilder, Ref, RuleType } from "./rule_graph.ts";
import { binaryNode, mapNode } from "./rule_operators.ts";

/** The largest period (in candles) a function accepts. */
export const MAX_PERIOD = 10_000;

/** What one expression may refer to, and where it runs. */
export interface RuleScope {
  /** Named numeric params. */
  readonly params: ReadonlyMap<string, number>;
  /** The params key being compiled, for messages: `enter`, `exit`, `stop`, `take_profit`. */
  readonly role: string;
  /** True only for `exit`, the one expression evaluated while a position is open. */
  readonly holding: boolean;
  /** Collects the params the expression reads. */
  readonly used: Set<string>;
}

/** Compiles `ast` into `builder`'s graph; throws a `RuleError` at the first problem. */
export function compileRule(ast: RuleAst, builder: GraphBuilder, scope: RuleScope): Ref {
  return new RuleCompiler(builder, scope).compile(ast, null);
}

const SERIES_NAMES: readonly string[] = SERIES;

function describeType(type: RuleType): string {
  return type === "boolean" ? "a condition (true/false)" : "a number";
}

class RuleCompiler {
  readonly #builder: GraphBuilder;
  readonly #scope: RuleScope;

  constructor(builder: GraphBuilder, scope: RuleScope) {
    this.#builder = builder;
    this.#scope = scope;
  }

  /** `inside` names the history-keeping function whose argument this is, if any. */
  compile(ast: RuleAst, inside: string | null): Ref {
    switch (ast.kind) {
      case "number":
        if (!Number.isFinite(ast.value)) throw new RuleError(ast.start, "this number is too large");
        return this.#builder.constant(ast.value);
      case "name":
        return this.#name(ast);
      case "unary": {
        const operand = this.compile(ast.operand, inside);
        if (ast.operator === "not") {
          this.#expect(operand, "boolean", ast.operand.start, `"not" needs a condition`);
          return mapNode(this.#builder, "not", operand, (x) => x === 1 ? 0 : 1, "boolean");
        }
        this.#expect(operand, "number", ast.operand.start, `"-" needs a number`);
        return mapNode(this.#builder, "negate", operand, (x) => -x);
      }
      case "binary":
        return this.#binary(ast, inside);
      case "call":
        return this.#call(ast, inside);
    }
  }

  #expect(ref: Ref, type: RuleType, at: number, what: string): void {
    if (ref.type !== type) throw new RuleError(at, `${what}; this is ${describeType(ref.type)}`);
  }

  #name(ast: Extract<RuleAst, { kind: "name" }>): Ref {
    const { name, start } = ast;
    const series = SERIES.find((candidate) => candidate === name);
    if (series !== undefined) return seriesNode(this.#builder, series);
    const value = this.#scope.params.get(name);
    if (value !== undefined) {
      this.#scope.used.add(name);
      return this.#builder.constant(value);
    }
    throw unknownName(name, start, [...this.#scope.params.keys()]);
  }

  #binary(ast: Extract<RuleAst, { kind: "binary" }>, inside: string | null): Ref {
    const { operator } = ast;
    const left = this.compile(ast.left, inside);
    const right = this.compile(ast.right, inside);
    if (operator === "==" || operator === "!=") {
      if (left.type !== right.type) {
        throw new RuleError(
          ast.operatorStart,
          `"${operator}" compares two numbers or two conditions; the left side is ` +
            `${describeType(left.type)} and the right side ${describeType(right.type)}`,
        );
      }
    } else {
      const wanted: RuleType = operator === "and" || operator === "or" ? "boolean" : "number";
      const what = wanted === "boolean" ? "conditions" : "numbers";
      const hint = wanted === "boolean" ? " (compare it, e.g. x > 0)" : "";
      for (
        const [side, ref, place] of [["left", left, ast.left], ["right", right, ast.right]] as const
      ) {
        if (ref.type !== wanted) {
          throw new RuleError(
            place.start,
            `"${operator}" needs ${what} on both sides; the ${side} side is ${
              describeType(ref.type)
            }${hint}`,
          );
        }
      }
    }
    return binaryNode(this.#builder, operator, left, right);
  }

  #call(ast: Extract<RuleAst, { kind: "call" }>, inside: string | null): Ref {
    const { name, args, start } = ast;
    const spec = FUNCTIONS[name];
    if (spec === undefined) throw unknownFunction(name, start, [...this.#scope.params.keys()]);
    if (spec.position) this.#checkPosition(name, start, inside);
    const count = spec.variadic ? (args.length >= 2 ? args.length : -1) : spec.args.length;
    if (count !== args.length) {
      const wanted = spec.variadic
        ? "two or more numbers"
        : spec.args.length === 0
        ? "no arguments"
        : `${spec.args.length} argument${spec.args.length === 1 ? "" : "s"} (${
          spec.args.map(([arg]) => arg).join(", ")
        })`;
      throw new RuleError(start, `${name} takes ${wanted}, got ${args.length}`);
    }
    const within = spec.stateful ? name : inside;
    const refs = args.map((arg, i) => {
      const [argName, kind] = spec.args[spec.variadic ? 0 : i];
      return this.#argument(arg, { function: name, name: argName, kind }, within);
    });
    const problem = spec.check?.(refs.map((ref) => ref.constant ?? NaN)) ?? null;
    if (problem !== null) {
      throw new RuleError(args[problem.arg].start, `${name}: ${problem.message}`);
    }
    return spec.build(this.#builder, refs);
  }

  #checkPosition(name: string, at: number, inside: string | null): void {
    if (inside !== null) {
      throw new RuleError(
        at,
        `${name}() cannot be used inside ${inside}(): that keeps a history of every candle, ` +
          "but a position exists only while holding",
      );
    }
    if (this.#scope.holding) return;
    const role = this.#scope.role;
    const why = role === "enter"
      ? "enter is checked only while flat"
      : `${role} is computed at the entry signal, while still flat`;
    throw new RuleError(at, `${name}() has no value while flat, and ${why}; use it in exit`);
  }

  #argument(
    ast: RuleAst,
    arg: { function: string; name: string; kind: ArgKind },
    inside: string | null,
  ): Ref {
    if (arg.kind === "number" || arg.kind === "value") {
      const ref = this.compile(ast, inside);
      if (arg.kind === "number") {
        this.#expect(ref, "number", ast.start, `${arg.function}'s ${arg.name} must be a number`);
      }
      return ref;
    }
    const what = arg.kind === "period" ? `the period ${arg.name}` : `the multiplier ${arg.name}`;
    const label = `${what} of ${arg.function}`;
    const value = this.#constantArgument(ast, label);
    const shown = ast.kind === "name" ? `${ast.name} = ${value}` : `${value}`;
    if (arg.kind === "period" && !(Number.isInteger(value) && value >= 1 && value <= MAX_PERIOD)) {
      throw new RuleError(
        ast.start,
        `${label} must be a whole number of candles from 1 to ${MAX_PERIOD} (got ${shown})`,
      );
    }
    if (arg.kind === "multiplier" && !(value > 0)) {
      throw new RuleError(ast.start, `${label} must be greater than 0 (got ${shown})`);
    }
    return this.#builder.constant(value);
  }

  /** A literal or a param name; anything else is refused with `label` in the message. */
  #constantArgument(ast: RuleAst, label: string): number {
    if (ast.kind === "number") return this.compile(ast, null).constant!;
    if (ast.kind === "unary" && ast.operator === "-" && ast.operand.kind === "number") {
      return -ast.operand.value;
    }
    if (ast.kind === "name") {
      if (SERIES_NAMES.includes(ast.name)) {
        throw new RuleError(
          ast.start,
          `${label} must be a number or a param name, not the series ${ast.name}`,
        );
      }
      return this.#name(ast).constant!;
    }
    throw new RuleError(ast.start, `${label} must be a number or a param name, not an expression`);
  }
}
