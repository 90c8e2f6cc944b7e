/**
 * Loads a user strategy module and checks that its default export is a strategy definition for
 * this API version. Runs inside the sandbox: the module's top-level code runs here.
 */
import { InputError } from "../core/errors.ts";
import { API_VERSION, type StrategyDefinition } from "../strategy_api.ts";
import { TIMEFRAMES } from "../core/timeframe.ts";

/** A module that cannot be used, with a one-line reason that names the file. */
export class StrategyModuleError extends InputError {}

/** Strategy names: what reports and the dashboard show. */
export const STRATEGY_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Imports `url` and returns its checked default export; `path` names it in errors. */
export async function loadStrategyDefinition(
  url: string,
  path: string,
  root: string,
): Promise<StrategyDefinition> {
  let module: Record<string, unknown>;
  try {
    module = await import(url);
  } catch (error) {
    throw new StrategyModuleError(`${path}: ${importFailure(error, root)}`, { cause: error });
  }
  return checkDefinition(module.default, path);
}

/** The first line of an import failure, with its position, file URLs shortened to project paths. */
function importFailure(error: unknown, root: string): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split("\n").find((line) => line.trim() !== "") ?? text;
  const short = first.replaceAll(root, "").replace(/^TypeError: /, "");
  if (/Requires (read|import) access/.test(short)) {
    const target = /to "([^"]+)"/.exec(short)?.[1] ?? "a file";
    return `cannot import ${target.replace(root.replace(/^file:\/\//, ""), "")}: ` +
      "a strategy may import only files under strategies/, the strategy API and npm packages";
  }
  // A throw at top level keeps its type; a parse error gives its position on a later line.
  const named =
    error instanceof Error && !["Error", "TypeError", "SyntaxError"].includes(error.name)
      ? `${error.name}: ${short}`
      : short;
  const stack = error instanceof Error ? `${text}\n${error.stack ?? ""}` : text;
  const at = /(file:\/\/\S*?\/strategies\/\S+?:\d+:\d+)/.exec(stack)?.[1];
  return at === undefined || named.includes(at.replaceAll(root, ""))
    ? named
    : `${named} (at ${at.replaceAll(root, "")})`;
}

/** The definition, or a `StrategyModuleError` saying what is wrong with it. */
export function checkDefinition(value: unknown, path: string): StrategyDefinition {
  const fail = (why: string): never => {
    throw new StrategyModuleError(`${path}: ${why}`);
  };
  if (value === undefined) {
    return fail("has no default export; end it with `export default defineStrategy({...})`");
  }
  if (value === null || typeof value !== "object") {
    return fail(`default export is a ${value === null ? "null" : typeof value}, not a strategy`);
  }
  const definition = value as Record<string, unknown>;
  checkVersion(definition.apiVersion, fail);
  if (typeof definition.name !== "string" || !STRATEGY_NAME_PATTERN.test(definition.name)) {
    fail(`name must be lower-case letters, digits and _ (got ${JSON.stringify(definition.name)})`);
  }
  if (typeof definition.description !== "string") fail("description must be a string");
  const params = definition.params as { safeParse?: unknown; shape?: unknown } | undefined;
  if (typeof params?.safeParse !== "function" || typeof params.shape !== "object") {
    fail("params must be a zod object, e.g. z.object({ period: z.number().default(14) })");
  }
  for (const key of ["create", "check"]) {
    if (typeof definition[key] !== "function") fail(`${key} must be a function`);
  }
  const timeframes = definition.timeframes;
  if (!Array.isArray(timeframes)) return fail('timeframes must be a list such as ["4h"]');
  for (const tf of timeframes) {
    if (!(TIMEFRAMES as readonly unknown[]).includes(tf)) {
      fail(`timeframes: unknown timeframe ${JSON.stringify(tf)}; known: ${TIMEFRAMES.join(" ")}`);
    }
  }
  return value as StrategyDefinition;
}

function checkVersion(version: unknown, fail: (why: string) => never): void {
  if (typeof version !== "string") {
    fail("default export has no apiVersion; wrap it in defineStrategy() from the strategy API");
  }
  const major = String(version).split(".")[0];
  if (major !== API_VERSION.split(".")[0]) {
    fail(
      `built for strategy API ${version}, but this system provides ${API_VERSION}; ` +
        `port it to API ${API_VERSION.split(".")[0]}.x (see docs/strategies.md)`,
    );
  }
}
