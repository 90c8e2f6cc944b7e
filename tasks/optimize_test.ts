/**
 * `deno task optimize` as a real process on a real SQLite file with the bundled BTC/USDT 1h
 * year: the reports, every bad input as one line with exit 2, the trades filter's exit 1, and a
 * run killed with SIGKILL then `--resume`d ending with the same JSON as an uninterrupted run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openStore } from "../src/storage/mod.ts";
import type { CandleRow } from "../src/core/types.ts";
import { loadSampleCandles } from "../tests/support/sample_candles.ts";

const ROOT = new URL("../", import.meta.url);
const TASK = new URL("./optimize.ts", import.meta.url).pathname;
const CONFIG = `name: opt-test
exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  name: sma_cross
  params: { fast: 10, slow: 30 }
backtest:
  from: 2024-07-10
  to: 2025-07-10
optimize:
  space:
    strategy.params.fast: 5..20:5
    strategy.params.slow: 40..100:20
`;

interface Fixture {
  readonly dir: string;
  readonly config: string;
  readonly db: string;
  readonly env: Record<string, string>;
}

async function fixture(): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "optimize-task-" });
  const db = join(dir, "t.db");
  const store = openStore(`sqlite:${db}`);
  const rows = loadSampleCandles("binance_BTC-USDT_1h.csv").map((
    c,
  ): CandleRow => [c.openTimeMs, c.open, c.high, c.low, c.close, c.volume]);
  store.candles.upsert({ exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" }, rows);
  store.close();
  const config = join(dir, "opt-test.yaml");
  await Deno.writeTextFile(config, CONFIG);
  return { dir, config, db, env: { DATABASE_URL: `sqlite:${db}`, NO_COLOR: "1" } };
}

function command(f: Fixture, args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-A", TASK, "--config", f.config, ...args],
    cwd: ROOT,
    env: f.env,
    stdout: "piped",
    stderr: "piped",
  });
}

async function optimize(f: Fixture, args: string[]) {
  const output = await command(f, args).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

const f = await fixture();

/** Trials stored in the fixture's DB so far. */
function stored(): number {
  const db = new DatabaseSync(f.db, { readOnly: true });
  try {
    return Number(
      (db.prepare("SELECT count(*) AS n FROM optimize_trials").get() as { n: number }).n,
    );
  } catch {
    return 0; // the table is created by the task's first open
  } finally {
    db.close();
  }
}

Deno.test("optimize task writes the report with the JSON contract and a self-contained page", async () => {
  const [json, html] = [join(f.dir, "a.json"), join(f.dir, "a.html")];
  const result = await optimize(f, [
    "--walk-forward",
    "train=120d,test=60d",
    "--json",
    json,
    "--html",
    html,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Walk-forward folds/);
  assert.match(result.stdout, /Deflated Sharpe ratio \d\.\d{3}/);
  assert.match(result.stdout, /Verdict: /);
  const report = JSON.parse(await Deno.readTextFile(json));
  assert.deepEqual(Object.keys(report), [
    "config",
    "space",
    "objective",
    "method",
    "trials",
    "best",
    "walkForwardEfficiency",
    "overfitting",
    "folds",
    "outOfSample",
  ]); // deno-fmt-ignore
  assert.equal(report.trials.length, 16);
  assert.deepEqual(Object.keys(report.trials[0]), ["params", "metrics"]);
  assert.deepEqual(Object.keys(report.trials[0].params), [
    "strategy.params.fast",
    "strategy.params.slow",
  ]);
  assert.deepEqual(Object.keys(report.overfitting), ["deflatedSharpe", "pbo", "trials"]);
  assert.equal(report.overfitting.trials, 16);
  assert.equal(report.folds.length, 4);
  assert.deepEqual(Object.keys(report.folds[0]), [
    "trainFrom",
    "trainTo",
    "testFrom",
    "testTo",
    "bestParams",
    "inSample",
    "outOfSample",
  ]); // deno-fmt-ignore
  for (const [t] of report.outOfSample.equity) {
    assert.ok(report.folds.some((fold: { testFrom: number; testTo: number }) => t >= fold.testFrom && t < fold.testTo));
  }
  const page = await Deno.readTextFile(html);
  assert.match(page, /TradingView Lightweight Charts/);
  assert.doesNotMatch(page, /<script[^>]+src=|<link[^>]+href=/, "self-contained");
  assert.match(page, /Deflated Sharpe ratio/);
  assert.match(page, /Probability of backtest overfitting/);
  assert.match(page, /class="heat"/);
  assert.match(page, /Walk-forward folds/);
});

Deno.test("optimize task rejects bad input with one line and exit 2", async () => {
  const cases: [string[], RegExp][] = [
    [["--walk-forward", "train=400d,test=30d"], /longer than the data/],
    [["--walk-forward", "train=300d,test=60d"], /only 1 fold fits.*at least 2/],
    [["--sweep", "strategy.params.fast=5..5:1"], /search space has one point/],
    [["--objective", "sharp"], /unknown objective "sharp"; did you mean "sharpe"\?/],
    [
      ["--sweep", "strategy.params.fast=1..400:1", "--sweep", "strategy.params.slow=1..400:1"],
      /160,000 combinations exceed the limit of 100,000.*--max-combinations/,
    ],
    [["--walk-forward", "train=1y"], /Cannot parse --walk-forward/],
    [["--pbo-slices", "30"], /--pbo-slices: must be even and at most 20/],
  ];
  for (const [args, pattern] of cases) {
    const result = await optimize(f, args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  }
});

Deno.test("optimize task exits 1 with the best combination's trade count when none has enough trades", async () => {
  const result = await optimize(f, ["--min-trades", "100000", "--json", join(f.dir, "m.json")]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(
    result.stderr,
    /none made at least 100000 trades \(--min-trades\); the best by sharpe \(.*\) made \d+/,
  );
  assert.equal(result.stderr.trim().split("\n").length, 1);
});

Deno.test("optimize task killed with SIGKILL resumes to the same JSON as an uninterrupted run", async () => {
  const args = [
    "--sweep",
    "strategy.params.fast=2..40:2",
    "--sweep",
    "strategy.params.slow=30..120:10",
    "--walk-forward",
    "train=120d,test=60d",
  ]; // deno-fmt-ignore

  const before = stored();
  const child = command(f, [...args, "--json", join(f.dir, "killed.json")]).spawn();
  const deadline = Date.now() + 120_000;
  while (stored() - before < 60 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  const status = await child.status;
  assert.equal(status.signal, "SIGKILL");
  const done = stored() - before;
  assert.ok(done >= 60 && done < 200 * 5, `${done} trials stored before the kill`);
  await assert.rejects(Deno.stat(join(f.dir, "killed.json")));

  const resumedPath = join(f.dir, "resumed.json");
  const resumed = await optimize(f, [...args, "--resume", "--json", resumedPath]);
  assert.equal(resumed.code, 0, resumed.stderr);
  const reused = Number(/\((\d+) reused from the interrupted run\)/.exec(resumed.stdout)?.[1]);
  assert.ok(reused >= done, `reused ${reused} of ${done}`);

  const freshPath = join(f.dir, "fresh.json");
  const fresh = await optimize(f, [...args, "--json", freshPath]);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.doesNotMatch(fresh.stdout, /reused/);
  assert.equal(await Deno.readTextFile(resumedPath), await Deno.readTextFile(freshPath));
});

Deno.test("optimize task stopped with SIGINT exits 0 and says how to resume", async () => {
  const args = [
    ...["--sweep", "strategy.params.fast=2..60:1", "--sweep", "strategy.params.slow=30..220:5"],
    ...["--walk-forward", "train=60d,test=30d", "--json", join(f.dir, "int.json")],
  ];
  const before = stored();
  const child = command(f, args).spawn();
  const deadline = Date.now() + 120_000;
  while (stored() - before < 30 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGINT");
  const output = await child.output();
  assert.equal(output.code, 0);
  assert.match(new TextDecoder().decode(output.stderr), /^Stopped; .* --resume to continue\n$/);
  await assert.rejects(Deno.stat(join(f.dir, "int.json")));
});

globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(f.dir, { recursive: true });
  } catch {
    // already gone
  }
});
