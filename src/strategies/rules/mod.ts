/** The `rules` strategy: entry and exit rules written as expressions in the config. */
export { rulesDefinition, type RulesParams } from "./rules.ts";
export { type CompiledRules, compileRules, EXPRESSION_KEYS } from "./compile_rules.ts";
export { MAX_EXPRESSION_LENGTH, parseRule } from "./parse_rule.ts";
export { MAX_PERIOD } from "./compile_rule.ts";
export { FUNCTIONS, SERIES, signature } from "./rule_functions.ts";
