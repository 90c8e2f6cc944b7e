/** One problem in a config file, and how it becomes a one-line `ConfigError`. */
import { ConfigError } from "../core/errors.ts";

/** A problem located at a line (or a `--set` override) and a dotted key. */
export interface ConfigProblem {
  /** 1-based line in the file, when known. */
  readonly line?: number;
  /** `--set key=value` text, when the value came from an override instead of the file. */
  readonly override?: string;
  /** Dotted key such as `risk.stop_loss_pct`; empty for whole-file problems. */
  readonly key?: string;
  readonly message: string;
}

/** Formats problems as `Cannot load config "<file>": line 7: <key>: <why>` (first problem, then a count). */
export function configError(
  path: string,
  problems: readonly ConfigProblem[],
  options: { cause?: unknown } = {},
): ConfigError {
  const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const first = sorted[0] ?? { message: "invalid config" };
  const parts = [`Cannot load config "${path}"`];
  if (first.override !== undefined) parts.push(`--set ${first.override}`);
  else if (first.line !== undefined) parts.push(`line ${first.line}`);
  if (first.key) parts.push(first.key);
  parts.push(oneLine(first.message));
  const more = sorted.length > 1 ? ` (and ${sorted.length - 1} more)` : "";
  return new ConfigError(parts.join(": ") + more, options);
}

/** Collapses whitespace so a message never spans lines. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
