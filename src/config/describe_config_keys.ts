/** Lists every config key with its description, default and bounds, for the README and `--help`. */
import { InstanceConfigSchema } from "./instance_config_schema.ts";
import { flattenNode, inputJsonSchema, type JsonNode } from "./json_schema_walk.ts";

/** One leaf key of the instance config. */
export interface ConfigKeyDescription {
  /** Dotted path such as `risk.stop_loss_pct`. */
  readonly key: string;
  readonly description: string;
  /** `number`, `integer`, `string`, `boolean` or `mapping`, with `| null` when null is allowed. */
  readonly type: string;
  readonly required: boolean;
  /** Default value; undefined for required keys. */
  readonly default?: unknown;
  /** Human bounds such as `> 0, <= 100`, allowed values, or a pattern; empty when unbounded. */
  readonly bounds: string;
}

/** Every leaf key of `InstanceConfigSchema`, in schema order. */
export function describeConfigKeys(): ConfigKeyDescription[] {
  return describeNode(inputJsonSchema(InstanceConfigSchema), []);
}

function describeNode(node: JsonNode, prefix: readonly string[]): ConfigKeyDescription[] {
  const result: ConfigKeyDescription[] = [];
  const required = new Set(node.required ?? []);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const flat = flattenNode(child);
    const key = [...prefix, name];
    if (flat.properties) {
      result.push(...describeNode(flat, key));
      continue;
    }
    const type = flat.type === "object" ? "mapping" : String(flat.type ?? "any");
    result.push({
      key: key.join("."),
      description: flat.description ?? "",
      type: flat.nullable ? `${type} | null` : type,
      required: required.has(name) && flat.default === undefined,
      default: flat.default,
      bounds: boundsText(flat),
    });
  }
  return result;
}

function boundsText(node: JsonNode): string {
  if (node.enum) return node.enum.join(" | ");
  const parts: string[] = [];
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.minimum !== undefined) parts.push(`>= ${node.minimum}`);
  if (node.exclusiveMaximum !== undefined) parts.push(`< ${node.exclusiveMaximum}`);
  if (node.maximum !== undefined) parts.push(`<= ${node.maximum}`);
  if (node.pattern !== undefined) parts.push(`matches ${node.pattern}`);
  return parts.join(", ");
}
