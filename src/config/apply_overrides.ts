/** `--set key=value` overrides applied to a raw config before validation. */
import { parse } from "./_yaml.ts";
import { ConfigError } from "../core/errors.ts";
import { closestMatch } from "./did_you_mean.ts";
import { InstanceConfigSchema } from "./instance_config_schema.ts";
import { inputJsonSchema, type JsonNode, schemaNodeAt } from "./json_schema_walk.ts";

let root: JsonNode | undefined;
/** The config schema as JSON Schema, for messages and key lookups: built when first needed. */
function configRoot(): JsonNode {
  return root ??= inputJsonSchema(InstanceConfigSchema);
}

/**
 * Overrides already parsed, by text: a sweep applies the same few values to thousands of
 * combinations, and parsing one as YAML costs more than applying it. Bounded; cleared when full.
 */
const PARSED = new Map<string, { path: readonly string[]; value: unknown }>();
const PARSED_LIMIT = 4096;

/** Splits `risk.stop_loss_pct=3` into a key path and a YAML-parsed value; throws on malformed input. */
export function parseOverride(text: string): { path: string[]; value: unknown } {
  const known = PARSED.get(text);
  // A copy of the value: an object or list set here may be changed by whoever receives it.
  if (known !== undefined) return { path: [...known.path], value: structuredClone(known.value) };
  const parsed = parseOverrideText(text);
  if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
  PARSED.set(text, { path: [...parsed.path], value: structuredClone(parsed.value) });
  return parsed;
}

function parseOverrideText(text: string): { path: string[]; value: unknown } {
  const fail = (why: string) => new ConfigError(`Cannot apply --set "${text}": ${why}`);
  const equals = text.indexOf("=");
  if (equals < 1) throw fail("expected key=value, e.g. risk.stop_loss_pct=3");
  const key = text.slice(0, equals).trim();
  const path = key.split(".");
  const problem = unknownPathProblem(path);
  if (problem) throw fail(problem);
  try {
    return { path, value: parse(text.slice(equals + 1)) };
  } catch (error) {
    throw new ConfigError(`Cannot apply --set "${text}": value is not valid YAML`, {
      cause: error,
    });
  }
}

/** Returns a copy of `raw` with each `key=value` set (value parsed as YAML); `raw` is not changed. */
export function applyOverrides(
  raw: Record<string, unknown>,
  sets: readonly string[],
): Record<string, unknown> {
  const result = structuredClone(raw);
  for (const text of sets) {
    const { path, value } = parseOverride(text);
    let target: Record<string, unknown> = result;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (next === null || typeof next !== "object" || Array.isArray(next)) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = value;
  }
  return result;
}

/** Why `path` names no config key, or undefined when it does (any key under strategy.params is allowed). */
function unknownPathProblem(path: readonly string[]): string | undefined {
  if (path.some((key) => key === "")) return `"${path.join(".")}" is not a key path`;
  for (let depth = 0; depth < path.length; depth++) {
    const parent = schemaNodeAt(configRoot(), path.slice(0, depth));
    const isOpenMapping = parent?.type === "object" && !parent.properties;
    if (isOpenMapping && depth === path.length - 1) return undefined;
    const known = Object.keys(parent?.properties ?? {});
    if (known.includes(path[depth])) continue;
    const prefix = path.slice(0, depth);
    const match = closestMatch(path[depth], known);
    const hint = match ? `; did you mean "${[...prefix, match].join(".")}"?` : "";
    return `unknown key "${path.join(".")}"${hint}`;
  }
  return undefined;
}
