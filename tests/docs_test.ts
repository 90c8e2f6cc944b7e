/**
 * The README and docs/ stay true to the repository: every task is in the README's command table,
 * every config key is in the generated reference, the README stays short, relative links resolve,
 * and nothing points at notes outside the repository or at numbered issues.
 */
import assert from "node:assert/strict";
import { describeConfigKeys } from "../src/config/describe_config_keys.ts";
import { renderConfigReference } from "../tools/docs/config_reference.ts";

const ROOT = new URL("../", import.meta.url);
const README_LIMIT = 12_000;
/** Folders that hold no authored text: dependencies, history, and runtime output. */
const SKIPPED_DIRS = new Set(["node_modules", ".git", "data", "logs"]);
/** References that only make sense outside this repository. */
const OUTSIDE_REFERENCE = /CLI\.md|\.\.\/shared|\bissues? #?\d+/i;

function read(path: string): Promise<string> {
  return Deno.readTextFile(new URL(path, ROOT));
}

/** The first cell of each row of the table under the `## Commands` heading, without backticks. */
function commandTableTasks(readme: string): string[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith("Commands\n")) ?? "";
  return section.split("\n")
    .filter((line) => line.startsWith("|"))
    .map((line) => line.split("|")[1].trim())
    .filter((cell) => /^`[^`]+`$/.test(cell))
    .map((cell) => cell.slice(1, -1));
}

/** Markdown without fenced code blocks and inline code, where brackets are not links. */
function proseOf(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1\s*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** Targets of inline links (`[text](target)`) and reference definitions (`[id]: target`). */
function linkTargets(markdown: string): string[] {
  const prose = proseOf(markdown);
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
  const defined = [...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)];
  return [...inline, ...defined].map((match) => match[1]);
}

/** GitHub's anchors for a Markdown file's headings, with `-1`, `-2` for repeated ones. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const code = /^(```|~~~)[^\n]*\n[\s\S]*?^\1\s*$/gm;
  for (const match of markdown.replace(code, "").matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = match[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

async function markdownFiles(): Promise<string[]> {
  const files = ["README.md"];
  for await (const entry of Deno.readDir(new URL("docs/", ROOT))) {
    if (entry.isFile && entry.name.endsWith(".md")) files.push(`docs/${entry.name}`);
  }
  return files.sort();
}

/** Why `target`, linked from `from`, does not resolve; undefined when it does. */
async function brokenLink(from: string, target: string): Promise<string | undefined> {
  const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
  const file = pathPart === "" ? new URL(from, ROOT) : new URL(pathPart, new URL(from, ROOT));
  try {
    await Deno.stat(file);
  } catch {
    return "no such file";
  }
  if (anchor === undefined || !file.pathname.endsWith(".md")) return undefined;
  const anchors = headingAnchors(await Deno.readTextFile(file));
  return anchors.has(decodeURIComponent(anchor)) ? undefined : `no heading #${anchor}`;
}

async function* repositoryFiles(dir: URL, prefix = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = prefix + entry.name;
    if (entry.isDirectory && !SKIPPED_DIRS.has(entry.name)) {
      yield* repositoryFiles(new URL(`${entry.name}/`, dir), `${path}/`);
    } else if (entry.isFile) yield path;
  }
}

Deno.test("README command table lists every deno task", async () => {
  const tasks = Object.keys(JSON.parse(await read("deno.json")).tasks);
  const listed = new Set(commandTableTasks(await read("README.md")));
  assert.ok(listed.size >= tasks.length, `README command table has ${listed.size} rows`);
  const missing = tasks.filter((task) => !listed.has(task));
  assert.deepEqual(missing, [], `tasks missing from the README's command table: ${missing}`);
});

Deno.test("config reference lists every key of the schema", async () => {
  const reference = await read("docs/config-reference.md");
  const missing = describeConfigKeys()
    .map((key) => key.key)
    .filter((key) => !reference.includes(`\`${key}\``));
  assert.deepEqual(missing, [], `run deno task docs; missing keys: ${missing}`);
});

Deno.test("renderConfigReference writes one row per key and escapes pipes", () => {
  const text = renderConfigReference([
    {
      key: "mode",
      description: "a | b",
      type: "string",
      required: false,
      default: "a",
      bounds: "a | b",
    },
    {
      key: "risk.stop_loss_pct",
      description: "Stop",
      type: "number | null",
      required: false,
      default: null,
      bounds: "> 0",
    },
    { key: "name", description: "Name", type: "string", required: true, bounds: "" },
  ], new Map([["risk", "Limits"]]));
  assert.match(text, /^\| `mode` +\| `string` +\| `a` +\| `a \\\| b` +\| a \\\| b +\|$/m);
  assert.match(text, /^\| `name` +\| `string` +\| required +\| +\| Name +\|$/m);
  assert.match(text, /^## `risk`\n\nLimits\.\n\n\| key /m);
  assert.match(
    text,
    /^\| `risk\.stop_loss_pct` \| `number \\\| null` \| `null` +\| `> 0` +\| Stop +\|$/m,
  );
});

Deno.test("README stays within 12,000 characters", async () => {
  const length = (await read("README.md")).length;
  assert.ok(length <= README_LIMIT, `README.md has ${length} characters (limit ${README_LIMIT})`);
});

Deno.test("README and docs relative links point to existing files and headings", async () => {
  const broken: string[] = [];
  for (const file of await markdownFiles()) {
    for (const target of linkTargets(await read(file))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
      const why = await brokenLink(file, target);
      if (why !== undefined) broken.push(`${file} -> ${target}: ${why}`);
    }
  }
  assert.deepEqual(broken, []);
});

Deno.test("repository files cite no outside notes and no issue numbers", async () => {
  const decoder = new TextDecoder();
  const offending: string[] = [];
  for await (const path of repositoryFiles(ROOT)) {
    const bytes = await Deno.readFile(new URL(path, ROOT));
    if (bytes.subarray(0, 8000).includes(0)) continue; // binary
    const lines = decoder.decode(bytes).split("\n");
    lines.forEach((line, i) => {
      const match = OUTSIDE_REFERENCE.exec(line);
      if (match) offending.push(`${path}:${i + 1}: ${match[0]}`);
    });
  }
  assert.deepEqual(offending, []);
});
