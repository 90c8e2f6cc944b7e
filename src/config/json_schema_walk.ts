/** Walks the JSON Schema zod produces, to find a key's bounds, default and known sibling keys. */
import { z } from "zod";

/** The parts of a JSON Schema node we read. */
export interface JsonNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  pattern?: string;
  properties?: Record<string, JsonNode>;
  required?: string[];
  anyOf?: JsonNode[];
  /** Set by `flattenNode` when the schema also accepts null. */
  nullable?: boolean;
}

/** The input-side JSON Schema of a zod schema (defaults included; transforms become "any"). */
export function inputJsonSchema(schema: z.core.$ZodType): JsonNode {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonNode;
}

/** Merges `anyOf: [X, {type: null}]` into X with `nullable: true`, keeping description and default. */
export function flattenNode(node: JsonNode): JsonNode {
  if (!node.anyOf) return node;
  const nonNull = node.anyOf.filter((option) => option.type !== "null");
  const nullable = nonNull.length < node.anyOf.length;
  const { anyOf: _anyOf, ...rest } = node;
  return nonNull.length === 1 ? { ...nonNull[0], ...rest, nullable } : { ...rest, nullable };
}

/** The flattened node at `path`, or undefined when the path leaves the schema. */
export function schemaNodeAt(root: JsonNode, path: readonly PropertyKey[]): JsonNode | undefined {
  let node: JsonNode | undefined = flattenNode(root);
  for (const key of path) {
    const child: JsonNode | undefined = node?.properties?.[String(key)];
    node = child ? flattenNode(child) : undefined;
  }
  return node;
}
