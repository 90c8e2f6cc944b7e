/**
 * The dependency rules, checked on the import graph of src/, tasks/, tools/ and tests/ as Deno
 * resolves it: which parts of src/ a folder may use, product code never importing tests/ or
 * tools/, `_file.ts` private to its folder, and no cycle between the folders of src/. Test code
 * (see `isTestCode`) may reach across folders, but not into another folder's `_file.ts`.
 */
import assert from "node:assert/strict";
import { folderCycles, type ImportEdge, readImportGraph } from "./support/import_graph.ts";

const ROOT = new URL("../", import.meta.url);

/** What a folder's product code may import from src/ besides itself (test code is exempt). */
interface LayerRule {
  readonly folder: string;
  readonly allowed: readonly string[];
  /** Set only while files being rewritten elsewhere still break the rule. */
  readonly ignore?: boolean;
}

const LAYER_RULES: readonly LayerRule[] = [
  { folder: "src/core", allowed: [] },
  { folder: "src/strategies", allowed: ["src/strategy_api.ts"] },
  // src/control writes commands to the DB only (the trader acts on them): still no exchange access.
  {
    folder: "src/dashboard",
    allowed: ["src/core", "src/storage", "src/timeframes", "src/control"],
  },
];

/**
 * Imports that still break a rule, in files being rewritten elsewhere. Each entry goes when its
 * import does; the last test fails on an entry that matches nothing, so the list only shrinks.
 */
const PENDING: readonly string[] = [];

const allEdges = await readImportGraph(ROOT, ["src", "tasks", "tools", "tests"]);
const edges = allEdges.filter((edge) => !PENDING.includes(`${edge.from} -> ${edge.to}`));

/** Tests, their helpers (`_test_support.ts`, anything under `testdata/`) and tests/ itself. */
function isTestCode(path: string): boolean {
  return path.startsWith("tests/") || /_test\.tsx?$/.test(path) ||
    /(^|\/)_test_support\.tsx?$/.test(path) || path.split("/").includes("testdata");
}

function isUnder(path: string, place: string): boolean {
  return path === place || path.startsWith(`${place}/`);
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}

function describe(edge: ImportEdge): string {
  return `${edge.from} imports ${edge.to}`;
}

Deno.test("readImportGraph follows imports, import type, re-exports and import(), not text", async () => {
  const dir = await Deno.makeTempDir({ prefix: "import_graph_test_" });
  try {
    const files: Record<string, string> = {
      "src/a/entry.ts": [
        `import { b } from "../b/b.ts";`,
        `import type { C } from "../c/c.ts";`,
        `export * from "./d.ts";`,
        `// import { e } from "../e/e.ts";`,
        'const text = `import("../e/e.ts")`;',
        `export const load = () => import("../f/f.ts");`,
        `export const value: C = b + text.length;`,
      ].join("\n"),
      "src/a/d.ts": "export const d = 1;",
      "src/b/b.ts": "export const b = 1;",
      "src/c/c.ts": "export type C = number;",
      "src/e/e.ts": "export const e = 1;",
      "src/f/f.ts": "export const f = 1;",
    };
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(`${dir}/${path.slice(0, path.lastIndexOf("/"))}`, { recursive: true });
      await Deno.writeTextFile(`${dir}/${path}`, text);
    }
    const graph = await readImportGraph(new URL(`file://${dir}/`), ["src"]);
    assert.deepEqual(
      graph.filter((edge) => edge.from === "src/a/entry.ts").map((edge) => edge.to).sort(),
      [
        "src/a/d.ts",
        "src/b/b.ts",
        "src/c/c.ts",
        "src/f/f.ts",
      ],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("folderCycles names each folder cycle with one import per step", () => {
  const edges = [
    { from: "src/a/x.ts", to: "src/b/y.ts" },
    { from: "src/b/y.ts", to: "src/a/z.ts" },
    { from: "src/c/w.ts", to: "src/a/x.ts" },
    { from: "src/a/x.ts", to: "src/a/z.ts" },
  ];
  assert.deepEqual(folderCycles(edges), [
    "src/a -> src/b (src/a/x.ts -> src/b/y.ts) -> src/a (src/b/y.ts -> src/a/z.ts)",
  ]);
  assert.deepEqual(folderCycles(edges.slice(0, 1)), []);
});

Deno.test("import graph is read from every folder", () => {
  for (const folder of ["src/", "tasks/", "tests/"]) {
    assert.ok(
      allEdges.some((edge) => edge.from.startsWith(folder)),
      `no imports read in ${folder}`,
    );
  }
});

for (const rule of LAYER_RULES) {
  const others = rule.allowed.length === 0 ? "nothing else in src/" : rule.allowed.join(", ");
  Deno.test({
    name: `import graph: ${rule.folder} imports only ${others}`,
    ignore: rule.ignore,
    fn() {
      const broken = edges.filter((edge) =>
        isUnder(edge.from, rule.folder) && !isTestCode(edge.from) && isUnder(edge.to, "src") &&
        !isUnder(edge.to, rule.folder) && !rule.allowed.some((place) => isUnder(edge.to, place))
      );
      assert.deepEqual(broken.map(describe), []);
    },
  });
}

/** Folders that receive ports (clock, feed, venue, strategy) and never construct an adapter. */
const PORTS_ONLY = ["src/trader", "src/backtest"];
/** Adapter modules: the CCXT adapter, the venues over an exchange, and the composition roots. */
const ADAPTERS = [
  "src/exchange",
  "src/app",
  "src/execution/live_venue.ts",
  "src/execution/simulated_exchange.ts",
  "src/execution/simulated_venue.ts",
];

Deno.test("import graph: src/trader and src/backtest import no adapter; src/engine and src/app build them", () => {
  const broken = edges.filter((edge) =>
    PORTS_ONLY.some((folder) => isUnder(edge.from, folder)) && !isTestCode(edge.from) &&
    ADAPTERS.some((place) => isUnder(edge.to, place))
  );
  assert.deepEqual(broken.map(describe), []);
});

Deno.test("import graph: no product code in src/ outside src/app imports src/app (tasks/ call it)", () => {
  const broken = edges.filter((edge) =>
    isUnder(edge.from, "src") && !isUnder(edge.from, "src/app") && !isTestCode(edge.from) &&
    isUnder(edge.to, "src/app")
  );
  assert.deepEqual(broken.map(describe), []);
});

Deno.test("import graph: product code in src/ imports neither tests/ nor tools/", () => {
  const broken = edges.filter((edge) =>
    isUnder(edge.from, "src") && !isTestCode(edge.from) &&
    (isUnder(edge.to, "tests") || isUnder(edge.to, "tools"))
  );
  assert.deepEqual(broken.map(describe), []);
});

Deno.test("import graph: a _file.ts is imported only from its own folder", () => {
  const broken = edges.filter((edge) =>
    edge.to.slice(edge.to.lastIndexOf("/") + 1).startsWith("_") &&
    dirname(edge.from) !== dirname(edge.to)
  );
  assert.deepEqual(broken.map(describe), []);
});

Deno.test("import graph: the folders of src/ form no cycle in product code", () => {
  assert.deepEqual(folderCycles(edges.filter((edge) => !isTestCode(edge.from))), []);
});

Deno.test("import graph: every pending exception still matches an import", () => {
  const stale = PENDING.filter((entry) =>
    !allEdges.some((edge) => `${edge.from} -> ${edge.to}` === entry)
  );
  assert.deepEqual(stale, [], "fixed: delete these entries from PENDING in this test");
});
