/** Validates the strategy section: a built-in by name or a user module, and its params. */
import { getStrategyDefinition, strategyNames } from "../strategies/registry.ts";
import type { StrategyDefinition } from "../strategy_api.ts";
import type { KeyProblem } from "./config_checks.ts";
import { unknownKeyMessage } from "./did_you_mean.ts";
import { inputJsonSchema } from "./json_schema_walk.ts";
import { zodIssueMessage } from "./zod_issue_message.ts";

/** A user strategy module opened in the sandbox: what config loading needs of it. */
export interface ModuleStrategy {
  /** The config's `strategy.module`, e.g. `strategies/my_idea.ts`. */
  readonly path: string;
  /** The name its definition declares. */
  readonly name: string;
  /** Checks params with the module's own schema and cross-field check, inside the sandbox. */
  checkParams(params: Record<string, unknown>): ParamsCheck;
}

/** Problems with a strategy's params, and the params with its defaults filled in. */
export interface ParamsCheck {
  readonly problems: KeyProblem[];
  readonly params: Record<string, unknown>;
}

/** Where strategy definitions come from; the registry by default, a fixed list in tests. */
export interface StrategyCatalog {
  get(name: string): StrategyDefinition | undefined;
  names(): string[];
  /** The opened user module at `path`; absent when this command does not load modules. */
  module?(path: string): ModuleStrategy | undefined;
}

/** The catalog backed by `src/strategies/registry.ts`. */
export const REGISTRY_CATALOG: StrategyCatalog = {
  get: getStrategyDefinition,
  names: strategyNames,
};

/** `strategy.module`: a `.ts` or `.js` file under `strategies/`, relative to the project root. */
export const MODULE_PATH_PATTERN = /^strategies\/(?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_-]+\.(?:ts|js)$/;

/** Why `path` is not an acceptable `strategy.module`, or null when it is. */
export function modulePathProblem(path: string): string | null {
  if (MODULE_PATH_PATTERN.test(path)) return null;
  return `must be a .ts or .js file under strategies/, relative to the project root ` +
    `(got "${path}")`;
}

/** Problems with the strategy section, its params with defaults filled in, and its name. */
export function checkStrategy(
  strategy: { name?: string; module?: string; params: Record<string, unknown> },
  catalog: StrategyCatalog,
): ParamsCheck & { name: string } {
  const { name, module, params } = strategy;
  const fail = (key: string, message: string) => ({
    problems: [{ path: ["strategy", key], message }],
    params,
    name: name ?? module ?? "",
  });
  if (name !== undefined && module !== undefined) {
    return fail("module", "set either strategy.name or strategy.module, not both");
  }
  if (module !== undefined) {
    const problem = modulePathProblem(module);
    if (problem !== null) return fail("module", problem);
    const opened = catalog.module?.(module);
    if (opened === undefined) return fail("module", "user strategies cannot be loaded here");
    return { ...opened.checkParams(params), name: opened.name };
  }
  if (name === undefined) {
    return fail(
      "name",
      `is required: a built-in strategy (${catalog.names().join(", ")}), ` +
        "or set strategy.module to your file under strategies/",
    );
  }
  const definition = catalog.get(name);
  if (!definition) {
    const known = catalog.names().join(", ") || "(none registered)";
    return fail("name", `unknown strategy "${name}"; known: ${known}`);
  }
  return { ...checkDefinitionParams(definition, params), name };
}

/**
 * Checks params against a definition: unknown keys (unless its schema has a catchall), its zod
 * schema, then its cross-field check.
 */
export function checkDefinitionParams(
  definition: StrategyDefinition,
  params: Record<string, unknown>,
): ParamsCheck {
  const known = Object.keys(definition.params.shape);
  // A schema with a catchall (other than never, which `.strict()` sets) takes keys of its own.
  const catchall = definition.params.def.catchall;
  const open = catchall !== undefined && catchall._zod.def.type !== "never";
  const unknown = open ? [] : Object.keys(params).filter((key) => !known.includes(key));
  const prefix = ["strategy", "params"];
  if (unknown.length > 0) {
    const problems = unknown.map((key) => ({
      path: [...prefix, key],
      message: unknownKeyMessage(key, known),
    }));
    return { problems, params };
  }
  const parsed = definition.params.safeParse(params);
  if (!parsed.success) {
    const root = inputJsonSchema(definition.params);
    const problems = parsed.error.issues.map((issue) => ({
      path: [...prefix, ...issue.path.map(String)],
      message: zodIssueMessage(issue, valueAt(params, issue.path), root),
    }));
    return { problems, params };
  }
  const problems = definition.check(parsed.data).map(({ key, message }) => ({
    path: [...prefix, key],
    message,
  }));
  return { problems, params: parsed.data as Record<string, unknown> };
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
