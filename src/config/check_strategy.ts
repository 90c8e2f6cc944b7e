/** Validates `strategy.name` against the registry and `strategy.params` with the strategy's own schema. */
import type { z } from "zod";
import { getStrategyDefinition, strategyNames } from "../strategies/registry.ts";
import type { StrategyDefinition } from "../strategies/strategy_definition.ts";
import type { KeyProblem } from "./config_checks.ts";
import { unknownKeyMessage } from "./did_you_mean.ts";
import { inputJsonSchema } from "./json_schema_walk.ts";
import { zodIssueMessage } from "./zod_issue_message.ts";

/** Where strategy definitions come from; the registry by default, a fixed list in tests. */
export interface StrategyCatalog {
  get(name: string): StrategyDefinition | undefined;
  names(): string[];
}

/** The catalog backed by `src/strategies/registry.ts`. */
export const REGISTRY_CATALOG: StrategyCatalog = {
  get: getStrategyDefinition,
  names: strategyNames,
};

/** Problems with the strategy section, and the params with the strategy's defaults filled in. */
export function checkStrategy(
  strategy: { name: string; params: Record<string, unknown> },
  catalog: StrategyCatalog,
): { problems: KeyProblem[]; params: Record<string, unknown> } {
  const definition = catalog.get(strategy.name);
  if (!definition) {
    const known = catalog.names().join(", ") || "(none registered)";
    const message = `unknown strategy "${strategy.name}"; known: ${known}`;
    return { problems: [{ path: ["strategy", "name"], message }], params: strategy.params };
  }
  const known = Object.keys(definition.params.shape);
  const unknown = Object.keys(strategy.params).filter((key) => !known.includes(key));
  const prefix = ["strategy", "params"];
  if (unknown.length > 0) {
    const problems = unknown.map((key) => ({
      path: [...prefix, key],
      message: unknownKeyMessage(key, known),
    }));
    return { problems, params: strategy.params };
  }
  const parsed = definition.params.safeParse(strategy.params);
  if (!parsed.success) {
    const root = inputJsonSchema(definition.params);
    const problems = parsed.error.issues.map((issue) => ({
      path: [...prefix, ...issue.path.map(String)],
      message: zodIssueMessage(issue, valueAt(strategy.params, issue.path), root),
    }));
    return { problems, params: strategy.params };
  }
  const problems = definition.check(parsed.data).map(({ key, message }) => ({
    path: [...prefix, key],
    message,
  }));
  return { problems, params: parsed.data as z.infer<typeof definition.params> };
}

/** The value at `path` inside nested plain objects, or undefined. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
