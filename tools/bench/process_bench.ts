/**
 * Whole backtest processes, as a user waits for them: `deno task backtest` of `sma_cross` on 1M
 * (and, full size, 10M) stored 1m candles, each beside a floor process run in the same bench on
 * the same DB (tools/bench/process_floor_main.ts: raw `node:sqlite` into typed arrays and the
 * hand-written loop). Also the candle load (packed chunks against the plain row path), the time
 * to the first candle, the share of the reports (and of the JSON and the HTML one in it) and the
 * peak RSS. The bench stops with an error
 * when the backtest's trades or candles differ from the floor's, or the two loads differ.
 */
import { fileURLToPath } from "node:url";
import { parseCandles } from "../../src/candles/mod.ts";
import type { CandleColumns, CandleRow, MarketRef } from "../../src/core/types.ts";
import { openStore } from "../../src/storage/mod.ts";
import { type BenchContext, type BenchResult, type BenchSuite, rateResult } from "./harness.ts";
import { tiledRow } from "./sqlite_bench.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FLOOR_MAIN = fileURLToPath(new URL("./process_floor_main.ts", import.meta.url));
const MARKET: MarketRef = { exchange: "bench", symbol: "BTC/USDT", timeframe: "1m" };
/** The report share the goal allows, in percent of the whole process. */
const REPORT_SHARE_GOAL_PCT = 10;

/** Stores `count` 1m candles of the tiled sample, in pages (10M rows never exist at once). */
function seed(databaseUrl: string, sample: readonly CandleRow[], count: number): void {
  const store = openStore(databaseUrl);
  try {
    const page: CandleRow[] = [];
    for (let i = 0; i < count; i++) {
      page.push(tiledRow(sample, i));
      if (page.length === 50_000 || i === count - 1) {
        store.candles.upsert(MARKET, page);
        page.length = 0;
      }
    }
  } finally {
    store.close();
  }
}

/** `deno task backtest`'s command line in deno.json, without its leading `deno`: what a user runs. */
/** The backtest task's command line from deno.json: its leading `NAME=value` words and deno's arguments. */
async function backtestTask(): Promise<{ env: Record<string, string>; args: string[] }> {
  const { tasks } = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const words = String(tasks.backtest).split(" ");
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? "")) {
    const [name, ...value] = words.shift()!.split("=");
    env[name] = value.join("=");
  }
  const [program, ...args] = words;
  if (program !== "deno") throw new Error(`process bench: deno.json's backtest task is not deno`);
  return { env, args };
}

type Marks = Record<string, [number, number]>;

interface ProcessRun {
  /** Spawn to exit, ms. */
  readonly wallMs: number;
  /** Spawn to each phase mark, ms. */
  readonly sinceSpawn: Record<string, number>;
  readonly peakRssMb: number;
}

async function spawn(
  args: string[],
  env: Record<string, string>,
): Promise<{ run: ProcessRun; stdout: string; stderr: string }> {
  const started = Date.now();
  // Through a shell that forks: a child spawned straight from this (large) process would count
  // this process's peak in its own ru_maxrss (vfork shares the memory map until exec).
  const output = await new Deno.Command("/bin/sh", {
    args: ["-c", '"$0" "$@"; exit $?', Deno.execPath(), ...args],
    env,
    cwd: ROOT,
  }).output();
  const wallMs = Date.now() - started;
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) throw new Error(`process bench: ${args.join(" ")} failed: ${stderr}`);
  const json = /^timings (.*)$/m.exec(stderr)?.[1] ?? stdout.trim().split("\n").at(-1)!;
  const parsed = JSON.parse(json) as { marks?: Marks; peakRssMb: number } & Marks;
  const marks: Marks = parsed.marks ?? parsed;
  const sinceSpawn: Record<string, number> = {};
  for (const [name, value] of Object.entries(marks)) {
    if (Array.isArray(value)) sinceSpawn[name] = value[1] - started;
  }
  return { run: { wallMs, sinceSpawn, peakRssMb: parsed.peakRssMb }, stdout, stderr };
}

/**
 * The JSON report without its equity: the text before `"equity"` (which is last) read as JSON.
 * A 10M-candle report is larger than the longest string V8 allows.
 */
async function reportHead(
  path: string,
): Promise<{ range: { candles: number }; trades: unknown[] }> {
  using file = await Deno.open(path);
  const decoder = new TextDecoder();
  const marker = ',\n  "equity": ';
  const buffer = new Uint8Array(1 << 20);
  let text = "";
  for (;;) {
    const read = await file.read(buffer);
    if (read === null) throw new Error(`process bench: ${path} has no equity`);
    text += decoder.decode(buffer.subarray(0, read), { stream: true });
    const at = text.indexOf(marker);
    if (at >= 0) return JSON.parse(text.slice(0, at) + "\n}");
  }
}

/** Best of `runs` by wall time. */
async function best(runs: number, once: () => Promise<ProcessRun>): Promise<ProcessRun> {
  let fastest: ProcessRun | null = null;
  for (let i = 0; i < runs; i++) {
    const run = await once();
    if (fastest === null || run.wallMs < fastest.wallMs) fastest = run;
  }
  return fastest!;
}

function sameColumns(a: CandleColumns, b: CandleColumns): boolean {
  if (a.length !== b.length) return false;
  for (const key of ["openTimeMs", "open", "high", "low", "close", "volume"] as const) {
    const x = a[key];
    const y = b[key];
    for (let i = 0; i < a.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}

/**
 * Packed load against the row path on the same connection, alternating, best of `runs`. Each
 * load gets recycled or new memory (a page fault per 4 KiB, about 10 µs each on a VM) as the
 * allocator has it; the loads of a fresh process, which pay those faults, are
 * `process.load_in_process_*`.
 */
function loadFigure(databaseUrl: string, count: number, runs: number): BenchResult {
  const store = openStore(databaseUrl, { readOnly: true });
  try {
    let packedMs = Infinity;
    let rowsMs = Infinity;
    for (let i = 0; i < runs; i++) {
      let started = performance.now();
      const packed = store.candles.loadColumns(MARKET, -Infinity, Infinity);
      packedMs = Math.min(packedMs, performance.now() - started);
      started = performance.now();
      const rows = store.candles.loadColumnsFromRows(MARKET, -Infinity, Infinity);
      rowsMs = Math.min(rowsMs, performance.now() - started);
      if (packed.length !== count || !sameColumns(packed, rows)) {
        throw new Error("process bench: the packed load differs from the row path");
      }
    }
    const rate = (ms: number) => count / (ms / 1000);
    return rateResult(
      `process.candle_load_${label(count)}`,
      "rows/s",
      rate(packedMs),
      rate(rowsMs),
    );
  } finally {
    store.close();
  }
}

function label(count: number): string {
  return `${count / 1_000_000}m`;
}

function lowerIsBetter(name: string, unit: string, value: number, reference: number): BenchResult {
  return { name, value, unit, reference, ratio: value / reference };
}

async function processFigures(
  dir: string,
  sample: readonly CandleRow[],
  count: number,
  runs: number,
  withLoad: boolean,
): Promise<BenchResult[]> {
  const path = `${dir}/candles_${label(count)}.db`;
  seed(`sqlite:${path}`, sample, count);
  const configPath = `${dir}/sma_cross_${label(count)}.yaml`;
  await Deno.writeTextFile(
    configPath,
    `name: bench-process\nexchange: ${MARKET.exchange}\nsymbol: ${MARKET.symbol}\n` +
      `timeframe: ${MARKET.timeframe}\nstrategy:\n  name: sma_cross\n  params: { fast: 10, slow: 30 }\n` +
      "risk:\n  stake_pct: 100\nexecution:\n  fee_pct: 0.1\n  slippage_bps: 0\n",
  );
  const jsonPath = `${dir}/report_${label(count)}.json`;
  const task = await backtestTask();
  const backtestArgs = [
    ...task.args,
    "--config",
    configPath,
    "--json",
    jsonPath,
    "--html",
    `${dir}/report_${label(count)}.html`,
    "--no-save",
  ];
  const env = {
    ...task.env,
    DATABASE_URL: `sqlite:${path}`,
    BACKTEST_TIMINGS: "1",
    NO_COLOR: "1",
  };
  const floorArgs = ["run", "-q", `--allow-read=${dir},${ROOT}`, FLOOR_MAIN, path];
  floorArgs.push(MARKET.exchange, MARKET.symbol, MARKET.timeframe);
  let floorOut = "";
  const floor = await best(runs, async () => {
    const { run, stdout } = await spawn(floorArgs, {});
    floorOut = stdout;
    return run;
  });
  // One untimed run first, as a user's second backtest: its reports take memory this VM has
  // never handed out, and the first touch of such a page costs the hypervisor about 10 µs
  // (the 10M JSON report's 640 MB then took 800 ms to write instead of 30-40 ms). The timed
  // runs write over its reports, into pages freed by them.
  await spawn(backtestArgs, env);
  const backtest = await best(runs, async () => (await spawn(backtestArgs, env)).run);
  // Correctness: the same candles and the same trades as the floor's hand loop (which leaves a
  // last position open where the backtest closes it at the end).
  const report = await reportHead(jsonPath);
  const expected = JSON.parse(floorOut.trim().split("\n").at(-1)!);
  const floorTrades = expected.trades + (expected.holding ? 1 : 0);
  if (report.range.candles !== expected.candles || report.trades.length !== floorTrades) {
    throw new Error(
      `process bench: backtest made ${report.trades.length} trades on ${report.range.candles} ` +
        `candles, the floor ${floorTrades} on ${expected.candles}`,
    );
  }
  const n = label(count);
  const { run, json, html } = backtest.sinceSpawn;
  const wall = backtest.wallMs;
  const results: BenchResult[] = [];
  if (withLoad) results.push(loadFigure(`sqlite:${path}`, count, runs));
  results.push(
    lowerIsBetter(`process.backtest_${n}`, "ms", wall, floor.wallMs),
    lowerIsBetter(
      `process.start_to_first_read_${n}`,
      "ms",
      backtest.sinceSpawn.ready,
      floor.sinceSpawn.ready,
    ),
    lowerIsBetter(
      `process.start_to_candles_${n}`,
      "ms",
      backtest.sinceSpawn.candles,
      floor.sinceSpawn.candles,
    ),
    // The load alone in each fresh process (first read to candles in columns): both pay the
    // page faults of new memory; the floor reads rows.
    lowerIsBetter(
      `process.load_in_process_${n}`,
      "ms",
      backtest.sinceSpawn.candles - backtest.sinceSpawn.ready,
      floor.sinceSpawn.candles - floor.sinceSpawn.ready,
    ),
    lowerIsBetter(
      `process.report_share_${n}`,
      "%",
      (backtest.sinceSpawn.reports - run) / wall * 100,
      REPORT_SHARE_GOAL_PCT,
    ),
    // The two large reports' parts of that share, against the same goal for all of them.
    lowerIsBetter(`process.json_share_${n}`, "%", (json - run) / wall * 100, REPORT_SHARE_GOAL_PCT),
    lowerIsBetter(
      `process.html_share_${n}`,
      "%",
      (html - json) / wall * 100,
      REPORT_SHARE_GOAL_PCT,
    ),
    lowerIsBetter(`process.peak_rss_${n}`, "MB", backtest.peakRssMb, floor.peakRssMb),
  );
  await Deno.remove(path);
  return results;
}

/** The suite: 1M candles (100k with --quick), then 10M in a full run. */
export async function processBench(context: BenchContext): Promise<BenchResult[]> {
  const sample = parseCandles(context.sample1mCsv, { file: "sample", timeframe: "1m" }).rows;
  // Under ./data, which the backtest task's permission set may read.
  await Deno.mkdir(`${ROOT}data`, { recursive: true });
  const dir = await Deno.makeTempDir({ dir: `${ROOT}data`, prefix: "bench-process-" });
  try {
    const results: BenchResult[] = [];
    if (context.quick) {
      results.push(...await processFigures(dir, sample, 100_000, 2, true));
    } else {
      results.push(...await processFigures(dir, sample, 1_000_000, 3, true));
      results.push(...await processFigures(dir, sample, 10_000_000, 1, false));
    }
    return results;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The suite tasks/bench.ts runs. */
export const processSuite: BenchSuite = { name: "process", run: processBench };
