/** YAML text to a plain object, keeping line numbers so errors can point at the offending key. */
import { type Document, isMap, isScalar, LineCounter, parseDocument } from "./_yaml.ts";
import type { ConfigProblem } from "./config_problem.ts";

/** Aliases expanded before we call it a resource-exhaustion attack ("billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

/** A parsed YAML mapping and a way to find the line of any key path in it. */
export interface YamlSource {
  readonly data: Record<string, unknown>;
  /** Line of the key at `path`, else of its nearest existing parent; undefined for the root. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Parses YAML text or returns the first problem (empty, tabs, malformed, duplicate key, alias bomb). */
export function parseYaml(text: string): YamlSource | ConfigProblem {
  if (text.trim() === "") return { message: "file is empty" };
  const tabLine = text.split("\n").findIndex((line) => /^[ ]*\t/.test(line));
  if (tabLine >= 0) {
    return { line: tabLine + 1, message: "tab used for indentation; YAML needs spaces" };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    if (error.code === "DUPLICATE_KEY") {
      return { line, message: `duplicate key ${keyOnLine(text, line)}` };
    }
    if (error.code === "MULTIPLE_DOCS") {
      return { line, message: "more than one YAML document (---)" };
    }
    const summary = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    return { line, message: `malformed YAML: ${summary}` };
  }
  if (doc.contents === null) return { message: "file is empty (only comments)" };
  if (!isMap(doc.contents)) {
    return { line: 1, message: "must be a mapping of keys to values, not a list or a scalar" };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return { message: `too many YAML alias expansions (over ${MAX_ALIAS_COUNT}): alias bomb?` };
    }
    return { message: `malformed YAML: ${error instanceof Error ? error.message : error}` };
  }
  return {
    data: data as Record<string, unknown>,
    lineOf: (path) => lineOf(doc, lineCounter, path),
  };
}

function lineOf(
  doc: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
    if (!isMap(parent)) continue;
    const pair = parent.items.find((item) =>
      isScalar(item.key) && String(item.key.value) === String(path[depth - 1])
    );
    const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    if (offset !== undefined) return counter.linePos(offset).line;
  }
  return undefined;
}

/** The key written on a 1-based line, quoted, for duplicate-key messages. */
function keyOnLine(text: string, line: number | undefined): string {
  const source = line === undefined ? "" : text.split("\n")[line - 1] ?? "";
  return JSON.stringify(source.trim().replace(/^- /, "").split(":")[0]);
}
