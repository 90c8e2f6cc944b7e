/** The errors for a name a rule does not know, each with a "did you mean" when one is close. */
import { closeMatches } from "../../strategy_api.ts";
import { RuleError } from "./rule_ast.ts";
import { FUNCTIONS, SERIES, signature } from "./rule_functions.ts";

const SERIES_NAMES: readonly string[] = SERIES;
const FUNCTION_NAMES = Object.keys(FUNCTIONS).sort();

/** `name`, used as a value at `at`, is neither a series nor one of `params`. */
export function unknownName(name: string, at: number, params: readonly string[]): RuleError {
  if (name in FUNCTIONS) {
    return new RuleError(at, `"${name}" is a function; call it as ${signature(name)}`);
  }
  if (name === "true" || name === "false") {
    return new RuleError(at, `there is no ${name}; write a comparison such as close > open`);
  }
  const match = closeMatches(name, [...params, ...SERIES_NAMES], { limit: 1 })[0];
  if (match !== undefined) {
    return new RuleError(at, `unknown name "${name}" (did you mean "${match}"?)`);
  }
  const known = params.length > 0 ? `, or a param (${params.join(", ")})` : "";
  return new RuleError(
    at,
    `unknown name "${name}"; use a number, a series (${SERIES.join(", ")})${known} ` +
      "or add it under strategy.params",
  );
}

/** `name`, called at `at`, is not a function. */
export function unknownFunction(name: string, at: number, params: readonly string[]): RuleError {
  if (SERIES_NAMES.includes(name)) {
    return new RuleError(at, `"${name}" is a series, not a function`);
  }
  if (params.includes(name)) return new RuleError(at, `"${name}" is a param, not a function`);
  const match = closeMatches(name, FUNCTION_NAMES, { limit: 1 })[0];
  if (match !== undefined) {
    return new RuleError(at, `unknown function "${name}" (did you mean "${match}"?)`);
  }
  return new RuleError(
    at,
    `unknown function "${name}"; the functions are ${FUNCTION_NAMES.join(", ")}`,
  );
}
