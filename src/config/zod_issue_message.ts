/** Turns zod issues into plain one-line messages: "must be between 0 and 100 (got 150)". */
import type { z } from "zod";
import { type JsonNode, schemaNodeAt } from "./json_schema_walk.ts";

/** Messages for pattern checks, by the key's last segment. */
const FORMAT_HINTS: Readonly<Record<string, string>> = {
  name: "must contain only a-z, 0-9 and -",
  symbol: "must look like BASE/QUOTE, e.g. BTC/USDT",
  exchange: "must be a lower-case CCXT exchange id such as binance",
  from: "must be a date YYYY-MM-DD or an ISO 8601 date-time",
  to: "must be a date YYYY-MM-DD or an ISO 8601 date-time",
};

/** One-line text for an issue; `value` is the input at the issue's path, `root` the JSON schema. */
export function zodIssueMessage(issue: z.core.$ZodIssue, value: unknown, root: JsonNode): string {
  const node = schemaNodeAt(root, issue.path);
  const got = ` (got ${describeValue(value)})`;
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return "is required";
      if (issue.expected === "int" && typeof value === "number") {
        return `must be a whole number${got}`;
      }
      return `must be ${typeName(issue.expected)}${node?.nullable ? " or null" : ""}${got}`;
    case "too_big":
    case "too_small":
      if (issue.origin === "string") return `${stringLength(issue)}${got}`;
      return `${rangeText(node, value)}${got}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}${got}`;
    case "invalid_format": {
      const last = String(issue.path.at(-1) ?? "");
      return `${FORMAT_HINTS[last] ?? `must match ${issue.format}`}${got}`;
    }
    default:
      return issue.message;
  }
}

function rangeText(node: JsonNode | undefined, value: unknown): string {
  const min = node?.exclusiveMinimum ?? node?.minimum;
  const max = node?.exclusiveMaximum ?? node?.maximum;
  if (value === node?.exclusiveMinimum) return `must be greater than ${min}`;
  if (value === node?.exclusiveMaximum) return `must be less than ${max}`;
  if (min !== undefined && max !== undefined) return `must be between ${min} and ${max}`;
  if (min !== undefined) return `must be at least ${min}`;
  return max !== undefined ? `must be at most ${max}` : "is out of range";
}

function stringLength(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  if (issue.code === "too_big") return `must be at most ${issue.maximum} characters`;
  return Number(issue.minimum) <= 1
    ? "must not be empty"
    : `must be at least ${issue.minimum} characters`;
}

function typeName(expected: string): string {
  const names: Record<string, string> = {
    number: "a number",
    int: "a whole number",
    string: "a string",
    boolean: "true or false",
    object: "a mapping",
    record: "a mapping",
    array: "a list",
  };
  return names[expected] ?? expected;
}

/** Short rendering of a config value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "a mapping";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
