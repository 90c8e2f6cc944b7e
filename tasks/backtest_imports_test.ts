/**
 * What `deno task backtest` loads before its first candle, as Deno resolves it (`deno info`):
 * never CCXT (config checks read the table generated from it), and neither the sweep nor the
 * sandbox code, which load only when a sweep or a user module asks for them.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = new URL("../", import.meta.url);

interface Info {
  readonly roots: readonly string[];
  readonly modules: readonly {
    readonly specifier: string;
    readonly dependencies?: readonly {
      readonly specifier: string;
      readonly code?: { readonly specifier: string };
      readonly isDynamic?: boolean;
    }[];
  }[];
}

async function staticGraph(entry: string): Promise<Set<string>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: fileURLToPath(ROOT),
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  const info: Info = JSON.parse(new TextDecoder().decode(output.stdout));
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      const code = dependency.code?.specifier;
      if (code !== undefined && !dependency.isDynamic) stack.push(code);
    }
  }
  return new Set([...seen].map((s) => s.startsWith(ROOT.href) ? s.slice(ROOT.href.length) : s));
}

Deno.test("backtest never imports CCXT, and loads sweeps and the sandbox only when used", async () => {
  const graph = await staticGraph("tasks/backtest.ts");
  assert.ok(graph.has("src/app/load_config.ts") && graph.has("src/storage/candle_repo.ts"));
  const ccxt = [...graph].filter((s) => /ccxt/i.test(s));
  assert.deepEqual(ccxt, [], "CCXT in the backtest's import graph");
  for (const lazy of ["tasks/_backtest_sweep.ts", "src/sandbox/run_sweep.ts"]) {
    assert.ok(!graph.has(lazy), `${lazy} is imported up front`);
  }
  // The check is real: the backfill task does reach CCXT.
  assert.ok([...await staticGraph("tasks/backfill.ts")].some((s) => /ccxt/i.test(s)));
});

Deno.test("backtest loads neither commander nor the yaml package's CommonJS build up front", async () => {
  const graph = [...await staticGraph("tasks/backtest.ts")];
  assert.deepEqual(graph.filter((s) => /commander/.test(s)), [], "commander up front");
  assert.deepEqual(graph.filter((s) => /^npm:.*yaml/.test(s)), [], "yaml's node build up front");
  assert.ok(graph.some((s) => /yaml\/browser\/dist\/index\.js$/.test(s)), "yaml ES build");
  // The check is real: other tasks reach commander through _cli.ts.
  assert.ok([...await staticGraph("tasks/candles.ts")].some((s) => /commander/.test(s)));
});

Deno.test("backtest loads node:util only for a .env file and the sandbox host only for a user module", async () => {
  const graph = await staticGraph("tasks/backtest.ts");
  for (const lazy of ["node:util", "src/sandbox/strategy_host.ts"]) {
    assert.ok(!graph.has(lazy), `${lazy} is imported up front`);
  }
  // The check is real: optimize reaches the sandbox host up front.
  assert.ok((await staticGraph("tasks/optimize.ts")).has("src/sandbox/strategy_host.ts"));
});

Deno.test("backtest loads the HTML and CSV report writers only after the run", async () => {
  const graph = await staticGraph("tasks/backtest.ts");
  for (const lazy of ["tasks/_backtest_reports.ts", "src/backtest/report_html.ts"]) {
    assert.ok(!graph.has(lazy), `${lazy} is imported up front`);
  }
  assert.ok((await staticGraph("tasks/demo.ts")).has("src/backtest/report_html.ts"));
});
