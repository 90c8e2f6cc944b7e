import assert from "node:assert/strict";
import type { StrategyCheckReport, WarmupCheck } from "./check_report.ts";
import { formatCheckReport, formatCheckReportJson } from "./format_check_report.ts";
import { NO_LOOKAHEAD_REASON } from "./strategy_checks.ts";

const T0 = Date.UTC(2024, 6, 10);
const HOUR_MS = 3_600_000;

const PASSING_WARMUP: WarmupCheck = {
  check: "warmup",
  status: "pass",
  declaredCandles: 30,
  firstDifferenceMs: null,
  suggestedCandles: 24,
  offsets: [],
};

function report(overrides: Partial<StrategyCheckReport> = {}): StrategyCheckReport {
  return {
    strategy: "example",
    module: "strategies/example.ts",
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    range: { fromMs: T0, toMs: T0 + 999 * HOUR_MS, candles: 1000 },
    warmupCandles: 30,
    checks: [
      { check: "determinism", status: "pass", firstDifferenceMs: null, decisions: 12 },
      { ...PASSING_WARMUP, offsets: [] },
      {
        check: "lookahead",
        status: "pass",
        byConstruction: NO_LOOKAHEAD_REASON,
        firstDifferenceMs: null,
        prefixes: [{ candles: 250, lastMs: T0 + 249 * HOUR_MS, firstDifferenceMs: null }],
      },
      { check: "exceptions", status: "pass", exceptions: [] },
    ],
    passed: true,
    ...overrides,
  };
}

Deno.test("formatCheckReport prints one row per check and the reason no lookahead is possible", () => {
  const lines = formatCheckReport(report());
  assert.equal(
    lines[0],
    "Strategy check: example (strategies/example.ts) on binance BTC/USDT 1h",
  );
  assert.match(
    lines[1],
    /^1000 candles 2024-07-10 00:00 → 2024-08-20 15:00 UTC, declared warm-up 30/,
  );
  const rows = lines.filter((line) => /^(determinism|warm-up|no lookahead|exceptions) /.test(line));
  assert.deepEqual(rows.map((row) => row.split(/\s{2,}/).slice(0, 2)), [
    ["determinism", "pass"],
    ["warm-up", "pass"],
    ["no lookahead", "pass"],
    ["exceptions", "pass"],
  ]);
  assert.match(lines.join("\n"), /No lookahead by construction: a strategy is handed only closed/);
  assert.ok(lines.every((line) => !line.startsWith("No lookahead") || line.length <= 96));
  assert.equal(lines.at(-1), "All checks passed.");
  assert.ok(lines.every((line) => !line.includes("\x1b[")));
  assert.ok(
    formatCheckReport(report(), { color: true }).some((line) => line.includes("\x1b[32mpass")),
  );
});

Deno.test("formatCheckReport explains a short warm-up start by start and lists exceptions", () => {
  const start = T0 + 200 * HOUR_MS;
  const warmup: WarmupCheck = {
    ...PASSING_WARMUP,
    status: "fail",
    declaredCandles: 5,
    firstDifferenceMs: start + 7 * HOUR_MS,
    suggestedCandles: 49,
    offsets: [{
      startMs: start,
      firstDifferenceMs: start + 7 * HOUR_MS,
      signals: ["entry"],
      neededCandles: 49,
      settles: true,
    }],
  };
  const exceptions = Array.from({ length: 7 }, (_, i) => ({
    candleTimeMs: T0 + i * HOUR_MS,
    message: `strategy x threw on candle ${i} (strategies/x.ts:12)`,
  }));
  const [determinism, , lookahead] = report().checks;
  const lines = formatCheckReport(report({
    checks: [determinism, warmup, lookahead, { check: "exceptions", status: "fail", exceptions }],
    passed: false,
  }));
  const text = lines.join("\n");
  assert.match(
    text,
    /warm-up +fail +a later start differs at 2024-07-18 15:00, past the declared 5 candles; set warmupCandles to at least 49/,
  );
  assert.match(text, /from 2024-07-18 08:00: 2024-07-18 15:00 in entry signals; 49 candles/);
  assert.match(text, /exceptions +fail +threw on 7 candles, first 2024-07-10 00:00/);
  assert.match(text, / {2}strategy x threw on candle 4 \(strategies\/x.ts:12\)\n {2}… and 2 more/);
  assert.equal(lines.at(-1), "2 checks failed.");
});

Deno.test("formatCheckReport names what sets the warm-up: a module's warmupCandles, rules' warmup param", () => {
  const short: WarmupCheck = {
    ...PASSING_WARMUP,
    status: "fail",
    firstDifferenceMs: T0 + 7 * HOUR_MS,
    suggestedCandles: 218,
  };
  const advice = (overrides: Partial<StrategyCheckReport>) => {
    const [determinism, , lookahead, exceptions] = report().checks;
    const checks = [determinism, short, lookahead, exceptions];
    const lines = formatCheckReport(report({ ...overrides, checks, passed: false }));
    return /past the declared \d+ candles; (.*)$/m.exec(lines.join("\n"))?.[1];
  };
  assert.equal(advice({}), "set warmupCandles to at least 218");
  assert.equal(
    advice({ module: null, strategy: "rules" }),
    "set strategy.params.warmup to at least 218",
  );
  assert.equal(advice({ module: null, strategy: "rsi" }), "it needs at least 218");
});

Deno.test("formatCheckReport says when later starts never agree, and what a skip means", () => {
  const never: WarmupCheck = {
    ...PASSING_WARMUP,
    status: "fail",
    firstDifferenceMs: T0,
    suggestedCandles: null,
  };
  const [, , lookahead, exceptions] = report().checks;
  const lines = formatCheckReport(report({
    checks: [
      { check: "determinism", status: "fail", firstDifferenceMs: T0, decisions: 3 },
      never,
      { ...lookahead, status: "skip" },
      exceptions,
    ],
  }));
  const text = lines.join("\n");
  assert.match(
    text,
    /determinism +fail +two runs of the same candles differ from 2024-07-10 00:00/,
  );
  assert.match(text, /never agree with the full run within the data/);
  assert.match(text, /no lookahead +skip +skipped: runs of the same candles differ/);
  assert.equal(lines.at(-1), "2 checks failed, 1 skipped.");
});

Deno.test("formatCheckReportJson round-trips the report", () => {
  assert.deepEqual(JSON.parse(formatCheckReportJson(report())), report());
});
