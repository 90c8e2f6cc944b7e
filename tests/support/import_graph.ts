/**
 * The repository's import graph as Deno resolves it (`deno info --json`): static imports,
 * `import type`, re-exports and `import("…")` with a literal specifier, between the .ts/.tsx
 * files under the given folders. A specifier inside a string or a comment is not an import.
 */
import { fileURLToPath } from "node:url";

/** One import: both sides are paths relative to the repository root (`src/core/engine.ts`). */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

interface DenoInfo {
  readonly modules: readonly {
    readonly specifier: string;
    readonly error?: string;
    readonly dependencies?: readonly {
      readonly code?: { readonly specifier: string };
      readonly type?: { readonly specifier: string };
    }[];
  }[];
}

/** The imports between the source files under `folders` of `root` (a directory URL). */
export async function readImportGraph(
  root: URL,
  folders: readonly string[],
): Promise<ImportEdge[]> {
  const files: string[] = [];
  for (const folder of folders) files.push(...await Array.fromAsync(sourceFiles(root, folder)));
  const info = await denoInfo(root, files);
  const broken = info.modules.filter((module) => module.error !== undefined);
  if (broken.length > 0) throw new Error(`Cannot read the import graph: ${broken[0].error}`);
  const inside = (url: string | undefined) =>
    url?.startsWith(root.href) ? decodeURIComponent(url.slice(root.href.length)) : null;
  const wanted = new Set(files);
  const edges: ImportEdge[] = [];
  for (const module of info.modules) {
    const from = inside(module.specifier);
    if (from === null || !wanted.has(from)) continue;
    for (const dependency of module.dependencies ?? []) {
      const to = inside(dependency.code?.specifier ?? dependency.type?.specifier);
      if (to !== null) edges.push({ from, to });
    }
  }
  return edges;
}

/** `src/<folder>` for a file in a folder of `src/`, the file itself for `src/x.ts`, else null. */
export function srcFolder(path: string): string | null {
  const parts = path.split("/");
  if (parts[0] !== "src" || parts.length < 2) return null;
  return parts.length === 2 ? path : `${parts[0]}/${parts[1]}`;
}

/**
 * Cycles between the folders of `src/`: the shortest through each folder not already on a
 * reported one, with one file import per step: `src/a -> src/b (src/a/x.ts -> src/b/y.ts) -> …`.
 */
export function folderCycles(edges: readonly ImportEdge[]): string[] {
  const next = new Map<string, Map<string, ImportEdge>>();
  for (const edge of edges) {
    const [from, to] = [srcFolder(edge.from), srcFolder(edge.to)];
    if (from === null || to === null || from === to) continue;
    if (!next.has(from)) next.set(from, new Map());
    if (!next.get(from)!.has(to)) next.get(from)!.set(to, edge);
  }
  const reported = new Set<string>();
  const cycles: string[] = [];
  for (const start of [...next.keys()].sort()) {
    if (reported.has(start)) continue;
    const path = shortestCycle(next, start);
    if (path === null) continue;
    path.forEach((step) => reported.add(step.folder));
    const steps = path.map((step) => ` -> ${step.folder} (${step.edge.from} -> ${step.edge.to})`);
    cycles.push(start + steps.join(""));
  }
  return cycles;
}

interface Step {
  readonly folder: string;
  readonly edge: ImportEdge;
}

// Breadth first, so a reported cycle is as short as the graph allows.
function shortestCycle(
  next: ReadonlyMap<string, ReadonlyMap<string, ImportEdge>>,
  start: string,
): Step[] | null {
  const cameFrom = new Map<string, { previous: string; edge: ImportEdge }>();
  const queue = [start];
  while (queue.length > 0) {
    const folder = queue.shift()!;
    for (const [target, edge] of [...(next.get(folder) ?? [])].sort(([a], [b]) => a < b ? -1 : 1)) {
      if (target === start) {
        const steps: Step[] = [{ folder: target, edge }];
        for (let at = folder; at !== start;) {
          const { previous, edge: inbound } = cameFrom.get(at)!;
          steps.unshift({ folder: at, edge: inbound });
          at = previous;
        }
        return steps;
      }
      if (cameFrom.has(target)) continue;
      cameFrom.set(target, { previous: folder, edge });
      queue.push(target);
    }
  }
  return null;
}

// One `deno info` over a module that imports every file: one process for the whole graph.
async function denoInfo(root: URL, files: readonly string[]): Promise<DenoInfo> {
  const dir = await Deno.makeTempDir({ prefix: "import_graph_" });
  try {
    const entry = `${dir}/all.ts`;
    const lines = files.map((file) => `import ${JSON.stringify(new URL(file, root).href)};\n`);
    await Deno.writeTextFile(entry, lines.join(""));
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: fileURLToPath(root),
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    if (!output.success) throw new Error(`Cannot run deno info: ${decode(output.stderr).trim()}`);
    return JSON.parse(decode(output.stdout)) as DenoInfo;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function* sourceFiles(root: URL, folder: string): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(new URL(folder, root)));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  for (const entry of entries.sort((a, b) => a.name < b.name ? -1 : 1)) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory && entry.name !== "node_modules") yield* sourceFiles(root, path);
    else if (entry.isFile && /\.tsx?$/.test(entry.name)) yield path;
  }
}
