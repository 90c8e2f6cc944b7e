/** Loads and validates one instance config: YAML, schema, cross-field checks, strategy params. */
import { stem } from "../core/file_paths.ts";
import { applyOverrides } from "./apply_overrides.ts";
import {
  checkStrategy,
  modulePathProblem,
  REGISTRY_CATALOG,
  type StrategyCatalog,
  valueAt,
} from "./check_strategy.ts";
import { CROSS_FIELD_CHECKS, DEFAULT_STAKE_PCT, type KeyProblem } from "./config_checks.ts";
import { configError, type ConfigProblem } from "./config_problem.ts";
import { unknownKeyMessage } from "./did_you_mean.ts";
import { type ExchangeContext, exchangeProblems } from "./exchange_checks.ts";
import { type InstanceConfig, InstanceConfigSchema } from "./instance_config_schema.ts";
import { inputJsonSchema, type JsonNode, schemaNodeAt } from "./json_schema_walk.ts";
import { readConfigFile } from "./read_config_file.ts";
import type { ConfigError } from "../core/errors.ts";
import { parseYaml, type YamlSource } from "./yaml_source.ts";
import { zodIssueMessage } from "./zod_issue_message.ts";

let root: JsonNode | undefined;
/** The config schema as JSON Schema, for messages and key lookups: built when first needed. */
function configRoot(): JsonNode {
  return root ??= inputJsonSchema(InstanceConfigSchema);
}

/** Options for parsing a config. */
export interface ParseConfigOptions {
  /** File path, for messages and the default `name`. */
  path?: string;
  /** `key=value` overrides (`--set`), applied before validation. */
  overrides?: readonly string[];
  /** Strategy definitions; defaults to the registry. `null` skips strategy checks (tools only). */
  strategies?: StrategyCatalog | null;
  /** The exchange's rules and cached markets to check against; absent: not checked. */
  exchange?: ExchangeContext;
}

/** Reads, parses and validates a config file; throws a one-line `ConfigError` (exit code 2). */
export async function loadInstanceConfig(
  path: string,
  options: Omit<ParseConfigOptions, "path"> = {},
): Promise<InstanceConfig> {
  return parseInstanceConfig(await readConfigFile(path), { ...options, path });
}

/**
 * Parses and validates config text; throws a one-line `ConfigError` (exit code 2). `text` may be
 * YAML already parsed by `parseYaml` (a sweep validates one file under many overrides); it is not
 * changed.
 */
export function parseInstanceConfig(
  text: string | YamlSource,
  options: ParseConfigOptions = {},
): InstanceConfig {
  const path = options.path ?? "<inline>";
  const yaml = typeof text === "string" ? parseYaml(text) : text;
  if (!("data" in yaml)) throw configError(path, [yaml]);
  const overrides = options.overrides ?? [];
  const data = overrides.length > 0
    ? applyOverrides(yaml.data, overrides)
    : typeof text === "string"
    ? yaml.data
    : structuredClone(yaml.data);
  const locate = locator(yaml, overrides);
  const defaultName = options.path ? stem(options.path) : undefined;
  const nameFromFile = data.name === undefined && defaultName !== undefined;
  if (nameFromFile) data.name = defaultName;
  // Text is validated once (a backtest, a check): zod's compiled fast path would cost more to
  // build (about 3 ms) than it saves. Parsed YAML comes from a sweep, which validates many times.
  const parsed = InstanceConfigSchema.safeParse(data, { jitless: typeof text === "string" });
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue): KeyProblem[] => {
      if (issue.code !== "unrecognized_keys") {
        const message = zodIssueMessage(issue, valueAt(data, issue.path), configRoot());
        const hint = nameFromFile && issue.path[0] === "name"
          ? "; set name: (the file name is the default)"
          : "";
        return [{ path: issue.path.map(String), message: message + hint }];
      }
      const known = Object.keys(schemaNodeAt(configRoot(), issue.path)?.properties ?? {});
      return issue.keys.map((key) => ({
        path: [...issue.path.map(String), key],
        message: unknownKeyMessage(key, known),
      }));
    });
    throw configError(path, problems.map(locate));
  }
  const config = parsed.data as InstanceConfig;
  const problems = CROSS_FIELD_CHECKS.flatMap((check) => check(config));
  if (options.strategies !== null) {
    const strategy = checkStrategy(config.strategy, options.strategies ?? REGISTRY_CATALOG);
    problems.push(...strategy.problems);
    // Name first, so a module's config reads like a built-in's in reports.
    const { module } = config.strategy;
    config.strategy = module === undefined
      ? { name: strategy.name, params: strategy.params }
      : { name: strategy.name, module, params: strategy.params };
  }
  if (problems.length === 0 && options.exchange !== undefined) {
    problems.push(...exchangeProblems(config, options.exchange));
  }
  if (problems.length > 0) throw configError(path, problems.map(locate));
  if (config.risk.stake_pct === null && config.risk.stake_amount === null) {
    config.risk.stake_pct = DEFAULT_STAKE_PCT;
  }
  return config;
}

/**
 * The `strategy.module` that config text (with its overrides) names, when it is a valid path,
 * and how to turn a problem with it into a located `ConfigError`; null for built-ins.
 */
export function peekStrategyModule(
  text: string,
  options: Pick<ParseConfigOptions, "path" | "overrides"> = {},
): { path: string; error(message: string, cause?: unknown): ConfigError } | null {
  const yaml = parseYaml(text);
  if (!("data" in yaml)) return null;
  const overrides = options.overrides ?? [];
  let data: Record<string, unknown>;
  try {
    data = overrides.length > 0 ? applyOverrides(yaml.data, overrides) : yaml.data;
  } catch {
    return null;
  }
  const module = valueAt(data, ["strategy", "module"]);
  if (typeof module !== "string" || modulePathProblem(module) !== null) return null;
  const locate = locator(yaml, overrides);
  const file = options.path ?? "<inline>";
  return {
    path: module,
    error: (message, cause) =>
      configError(file, [locate({ path: ["strategy", "module"], message })], { cause }),
  };
}

/** Gives a key problem its line in the file, or the `--set` it came from. */
function locator(yaml: YamlSource, overrides: readonly string[]) {
  return (problem: KeyProblem): ConfigProblem => {
    const key = problem.path.join(".");
    const override = [...overrides].reverse().find((text) => {
      const setKey = text.slice(0, text.indexOf("=")).trim();
      return key === setKey || key.startsWith(`${setKey}.`);
    });
    if (override !== undefined) return { override, key, message: problem.message };
    return { line: yaml.lineOf(problem.path), key, message: problem.message };
  };
}
