/** `deno task backtest` through the real task process: reports, the DB row, and bad input. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../src/storage/mod.ts";
import type { CandleRow } from "../src/core/types.ts";
import { loadSampleCandles } from "../tests/support/sample_candles.ts";

const ROOT = new URL("../", import.meta.url);
const TASK = new URL("./backtest.ts", import.meta.url).pathname;
const METRIC_KEYS = [
  "startMs",
  "endMs",
  "exposurePct",
  "equityFinal",
  "equityPeak",
  "feesPaid",
  "returnPct",
  "buyHoldReturnPct",
  "returnAnnPct",
  "volatilityAnnPct",
  "cagrPct",
  "sharpe",
  "sortino",
  "calmar",
  "maxDrawdownPct",
  "avgDrawdownPct",
  "maxDrawdownDurationMs",
  "avgDrawdownDurationMs",
  "trades",
  "winRatePct",
  "bestTradePct",
  "worstTradePct",
  "avgTradePct",
  "maxTradeDurationMs",
  "avgTradeDurationMs",
  "profitFactor",
  "expectancyPct",
  "sqn",
  "kelly",
]; // deno-fmt-ignore

const CONFIG = `name: task-test
exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  name: sma_cross
  params: { fast: 10, slow: 30 }
backtest:
  from: 2024-07-10
  to: 2025-07-10
`;

interface Fixture {
  dir: string;
  config: string;
  env: Record<string, string>;
  runs(): number;
}

async function fixture(): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "backtest-task-" });
  const url = `sqlite:${join(dir, "t.db")}`;
  const store = openStore(url);
  const rows = loadSampleCandles("binance_BTC-USDT_1h.csv").map((
    c,
  ): CandleRow => [c.openTimeMs, c.open, c.high, c.low, c.close, c.volume]);
  store.candles.upsert({ exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" }, rows);
  store.close();
  const config = join(dir, "task-test.yaml");
  await Deno.writeTextFile(config, CONFIG);
  const runs = () => {
    const s = openStore(url);
    try {
      return s.backtestRuns.recent(1000).length;
    } finally {
      s.close();
    }
  };
  return {
    dir,
    config,
    env: { DATABASE_URL: url, NO_COLOR: "1", LOG_DIR: join(dir, "logs") },
    runs,
  };
}

async function backtest(f: Fixture, args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", TASK, "--config", f.config, ...args],
    cwd: ROOT,
    env: f.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("backtest task prints the report, writes JSON, HTML and CSV, and stores the run", async () => {
  const f = await fixture();
  try {
    const [json, html, csv] = ["r.json", "r.html", "r.csv"].map((name) => join(f.dir, "out", name));
    const result = await backtest(f, ["--json", json, "--html", html, "--csv", csv]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Backtest task-test/);
    assert.match(result.stdout, /Equity [▁▂▃▄▅▆▇█]{20,}/);
    assert.ok(!result.stdout.includes("\x1b["), "no colour without a TTY");
    const report = JSON.parse(await Deno.readTextFile(json));
    assert.deepEqual(Object.keys(report), ["config", "range", "metrics", "trades", "equity"]);
    assert.deepEqual(Object.keys(report.metrics), METRIC_KEYS);
    assert.deepEqual(report.range, {
      fromMs: Date.UTC(2024, 6, 10),
      toMs: Date.UTC(2025, 6, 10),
      candles: 8760,
    });
    assert.ok(report.trades.length > 50);
    assert.deepEqual(Object.keys(report.trades[0]), [
      "entryTimeMs",
      "exitTimeMs",
      "entryPrice",
      "exitPrice",
      "amount",
      "pnl",
      "pnlPct",
      "fees",
      "exitReason",
    ]); // deno-fmt-ignore
    assert.equal(report.equity.length, 8760);
    const page = await Deno.readTextFile(html);
    assert.match(page, /TradingView Lightweight Charts/);
    assert.doesNotMatch(page, /<script[^>]+src=|<link[^>]+href=/, "self-contained");
    const lines = (await Deno.readTextFile(csv)).trim().split("\n");
    assert.equal(lines.length, report.trades.length + 1);
    assert.equal(f.runs(), 1);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("backtest task runs a sweep on workers and prints a ranked table", async () => {
  const f = await fixture();
  try {
    const result = await backtest(f, [
      "--sweep",
      "strategy.params.fast=5..15:5",
      "--sweep",
      "strategy.params.slow=10..30:10",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const rows = result.stdout.split("\n").filter((line) => /^\s*\d+\s+\d/.test(line));
    assert.equal(rows.length, 7, result.stdout);
    assert.match(result.stdout, /7 combinations .* 2 invalid skipped/);
    const returns = rows.map((row) => Number(row.trim().split(/\s+/)[3].replace(/[,+]/g, "")));
    assert.deepEqual(returns, [...returns].sort((a, b) => b - a));
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

const BAD_INPUT: [string, string[], RegExp][] = [
  [
    "an unknown strategy",
    ["--set", "strategy.name=nope"],
    /unknown strategy "nope"; known: .*sma_cross/,
  ],
  ["params out of bounds", ["--set", "strategy.params.fast=1"], /strategy\.params\.fast/],
  ["fast period ≥ slow", ["--set", "strategy.params.fast=40"], /must be less than slow/],
  [
    "--from after --to",
    ["--from", "2025-01-01", "--to", "2024-01-01"],
    /--from 2025-01-01 is not before --to/,
  ],
  [
    "an empty range",
    ["--from", "2020-01-01", "--to", "2020-02-01"],
    /no binance BTC\/USDT 1h candles .* the DB holds binance BTC\/USDT 1h 2024-07-10 00:00 → 2025-07-10 16:00 \(8,777 candles\)/,
  ],
  [
    "a malformed --set",
    ["--set", "risk.stop_loss_pct"],
    /--set "risk.stop_loss_pct": expected key=value/,
  ],
  [
    "a --set of an unknown key",
    ["--set", "risk.stop_los_pct=2"],
    /did you mean "risk.stop_loss_pct"/,
  ],
  [
    "a malformed --sweep",
    ["--sweep", "strategy.params.fast=5..20"],
    /--sweep "strategy.params.fast=5..20": expected key=from..to:step/,
  ],
  [
    "a --sweep with a zero step",
    ["--sweep", "strategy.params.fast=5..20:0"],
    /step must be greater than 0/,
  ],
  ["a sweep over 10,000 combinations", [
    "--sweep",
    "strategy.params.fast=2..200:1",
    "--sweep",
    "strategy.params.slow=3..203:1",
  ], /39,999 combinations exceed the limit of 10,000/],
  ["a bad date", ["--from", "2024-02-30"], /--from: not a date/],
]; // deno-fmt-ignore

Deno.test("backtest task rejects bad input with one line and exit code 2, changing nothing", async () => {
  const f = await fixture();
  try {
    for (const [what, args, message] of BAD_INPUT) {
      const json = join(f.dir, "bad.json");
      const result = await backtest(f, [...args, "--json", json]);
      assert.equal(result.code, 2, `${what}: exit ${result.code}, stderr ${result.stderr}`);
      assert.equal(result.stderr.trim().split("\n").length, 1, `${what}: ${result.stderr}`);
      assert.match(result.stderr, /^Cannot /, what);
      assert.match(result.stderr, message, what);
      assert.equal(result.stdout, "", what);
      await assert.rejects(Deno.stat(json), Deno.errors.NotFound, what);
    }
    assert.equal(f.runs(), 0);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("backtest task allows a large sweep only with --max-combinations", async () => {
  const f = await fixture();
  try {
    const grid = [
      "--sweep",
      "strategy.params.fast=2..4:1",
      "--sweep",
      "strategy.params.slow=10..12:1",
    ];
    const refused = await backtest(f, [...grid, "--max-combinations", "8"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /9 combinations exceed the limit of 8/);
    const allowed = await backtest(f, [...grid, "--max-combinations", "9"]);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /9 combinations/);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});
