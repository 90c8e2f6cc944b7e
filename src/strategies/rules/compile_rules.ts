/**
 * Compiles a `rules` strategy's params (the expressions and the named numbers they use) into one
 * shared graph, or lists every problem as a param problem: the key, and for an expression the
 * column in it and what is wrong there.
 */
import { closeMatches, type ParamProblem } from "../../strategy_api.ts";
import { compileRule, type RuleScope } from "./compile_rule.ts";
import { parseRule } from "./parse_rule.ts";
import { describePlace, RuleError } from "./rule_ast.ts";
import { FUNCTIONS, SERIES } from "./rule_functions.ts";
import { GraphBuilder, type Ref, type RulePlan, type RuleType } from "./rule_graph.ts";

/** The params keys that hold expressions, and the type each must have. */
export const EXPRESSION_KEYS: Readonly<Record<string, RuleType>> = {
  enter: "boolean",
  exit: "boolean",
  stop: "number",
  take_profit: "number",
};

/** Keys with a fixed meaning; every other key is a named number. */
export const RESERVED_KEYS: readonly string[] = [...Object.keys(EXPRESSION_KEYS), "warmup"];

const KEYWORDS = ["and", "or", "not", "true", "false"];

/** The compiled rules: a plan to instantiate per run, and where each expression's value lands. */
export interface CompiledRules {
  readonly plan: RulePlan;
  readonly enter: Ref;
  readonly exit: Ref;
  readonly stop: Ref | null;
  readonly takeProfit: Ref | null;
  /** The longest warm-up along any expression's inputs. */
  readonly derivedWarmup: number;
  /** `warmup` when set, else the derived one. */
  readonly warmupCandles: number;
  /** Nodes computed per candle, after sharing. */
  readonly nodeCount: number;
}

/** The compiled rules, or null with at least one problem. */
export function compileRules(
  params: Readonly<Record<string, unknown>>,
): { rules: CompiledRules | null; problems: ParamProblem[] } {
  const named = new Map<string, number>();
  const problems: ParamProblem[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (RESERVED_KEYS.includes(key)) continue;
    const problem = valueProblem(key, value) ?? nameProblem(key);
    if (problem === null) named.set(key, value as number);
    else problems.push({ key, message: problem });
  }
  if (problems.length > 0) return { rules: null, problems };
  const builder = new GraphBuilder();
  const used = new Set<string>();
  const roots: Record<string, Ref | null> = {};
  for (const [key, type] of Object.entries(EXPRESSION_KEYS)) {
    const text = params[key];
    roots[key] = null;
    if (typeof text !== "string") continue;
    const scope: RuleScope = { params: named, role: key, holding: key === "exit", used };
    try {
      roots[key] = compileExpression(text, builder, scope, type);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      problems.push({ key, message: `${describePlace(text, error.index)}: ${error.message}` });
    }
  }
  for (const name of named.keys()) {
    // An expression that failed stopped compiling early: its names count as unknown, not unused.
    if (problems.length === 0 && !used.has(name)) {
      problems.push({ key: name, message: "is not used by enter, exit, stop or take_profit" });
    }
  }
  const { enter, exit, stop, take_profit: takeProfit } = roots;
  if (problems.length > 0 || enter === null || exit === null) return { rules: null, problems };
  const derivedWarmup = Math.max(...Object.values(roots).map((ref) => ref?.warmup ?? 0));
  const declared = params.warmup;
  if (typeof declared === "number" && declared < derivedWarmup) {
    const message = `must be at least ${derivedWarmup}, the warm-up the expressions need ` +
      `(got ${declared}); leave it null to use that`;
    return { rules: null, problems: [{ key: "warmup", message }] };
  }
  const nodeCount = builder.stepCount;
  const warmupCandles = typeof declared === "number" ? declared : derivedWarmup;
  const plan = builder.finish();
  return {
    rules: { plan, enter, exit, stop, takeProfit, derivedWarmup, warmupCandles, nodeCount },
    problems,
  };
}

function compileExpression(text: string, builder: GraphBuilder, scope: RuleScope, type: RuleType) {
  const ast = parseRule(text);
  const ref = compileRule(ast, builder, scope);
  if (ref.type === type) return ref;
  const start = /\S/.exec(text)?.index ?? 0;
  throw new RuleError(
    start,
    type === "boolean"
      ? `${scope.role} must be a condition (true/false), but this is a number; compare it, e.g. "... > 0"`
      : `${scope.role} must be a price (a number), but this is a condition (true/false)`,
  );
}

/** Why `value` cannot be the named param `key`, or null: it must be a finite number. */
function valueProblem(key: string, value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return null;
  const got = `(got ${typeof value === "string" ? JSON.stringify(value) : String(value)})`;
  if (typeof value !== "string") return `must be a number ${got}`;
  // A string under an unknown key is most likely a misspelt expression key.
  const match = closeMatches(key, Object.keys(EXPRESSION_KEYS), { limit: 1 })[0];
  if (match !== undefined) {
    return `unknown key; did you mean "${match}"? (a named param is a number)`;
  }
  return `must be a number ${got}; only enter, exit, stop and take_profit hold expressions`;
}

/** Why `name` cannot be a param name, or null. */
function nameProblem(name: string): string | null {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return "is not a usable name: start with a letter or _, then letters, digits or _";
  }
  if (KEYWORDS.includes(name)) return `"${name}" is a keyword; rename the param`;
  if ((SERIES as readonly string[]).includes(name)) {
    return `shadows the series "${name}" in the expressions; rename the param`;
  }
  if (name in FUNCTIONS) {
    return `shadows the function "${name}" in the expressions; rename the param`;
  }
  return null;
}
