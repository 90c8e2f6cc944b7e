import assert from "node:assert/strict";
import fc from "fast-check";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { backtestConfig } from "./backtest_config.ts";
import {
  type BacktestReport,
  buildReport,
  equitySeries,
  formatReportJson,
  reportJsonPieces,
} from "./report_json.ts";
import { toColumns } from "./run_backtest.ts";
import type { BacktestRun } from "./run_backtest.ts";
import type { Metrics } from "./metrics.ts";

const config = parseInstanceConfig(
  "name: json-test\nexchange: kraken\nsymbol: BTC/USD\ntimeframe: 1h\nstrategy:\n  name: sma_cross\n",
);

Deno.test("the JSON report is byte for byte JSON.stringify(report, null, 2), streamed in pieces", () => {
  const { report } = backtestConfig(
    config,
    toColumns(loadSampleCandles("binance_BTC-USDT_1h.csv")),
  );
  assert.ok(report.trades.length > 10 && report.equity.length > 8_192);
  const text = formatReportJson(report);
  assert.equal(text, JSON.stringify(report, null, 2) + "\n");
  assert.ok([...reportJsonPieces(report)].length > 2, "streamed in several pieces");
  assert.deepEqual(JSON.parse(text).equity, report.equity);
});

Deno.test("JSON report property: any equity numbers (-0, NaN, ±∞, repeats) come out as JSON.stringify writes them", () => {
  const number = fc.oneof(
    fc.double(),
    fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 5e-324, 10_000),
  );
  // Open times around and inside the 13 digits the writer has a fast path for, with fractions.
  const time = fc.oneof(
    fc.integer({ min: 1e12 - 3, max: 1e13 + 3 }),
    fc.double({ min: 1e12 - 1, max: 1e13 + 1, noNaN: true }),
    fc.constantFrom(1e12, 1e13 - 1, 1e13, 1e12 - 1, 1_700_000_000_000.5, 1_000_099_990_000),
  );
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(fc.oneof(fc.double(), fc.maxSafeNat(), fc.nat(), fc.integer(), time), number),
        {
          maxLength: 40,
        },
      ),
      (points) => {
        const run = {
          trades: [],
          decisions: [],
          timesMs: Float64Array.from(points.map(([t]) => t)),
          equity: Float64Array.from(points.map(([, v]) => v)),
          closes: new Float64Array(points.length),
          warmupCandles: 0,
        } as BacktestRun;
        const range = { fromMs: 0, toMs: 1, candles: points.length };
        const report = buildReport(config, { run, metrics: {} as Metrics, range });
        assert.equal(equitySeries(report).length, points.length);
        assert.equal(formatReportJson(report), JSON.stringify(report, null, 2) + "\n");
        // A report read back from JSON (no columns behind it) streams the same text.
        const plain = JSON.parse(JSON.stringify({ ...report, equity: report.equity }));
        assert.equal(formatReportJson(plain), JSON.stringify(plain, null, 2) + "\n");
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("JSON report property: runs of repeated and varied values across piece boundaries come out as JSON.stringify writes them", () => {
  const value = fc.oneof(
    fc.double(),
    fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 10_000, 10_000.000000000002),
  );
  // Runs long enough that one often spans the 8,192-point pieces, short ones between them.
  const run = fc.tuple(value, fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ max: 9_000 })));
  fc.assert(
    fc.property(fc.array(run, { minLength: 1, maxLength: 8 }), (runs) => {
      const values = runs.flatMap(([v, count]) => new Array<number>(Math.max(1, count)).fill(v));
      const equity = Float64Array.from(values);
      const backtest = {
        trades: [],
        decisions: [],
        timesMs: Float64Array.from(values, (_, i) => 1_600_000_000_000 + i * 60_000),
        equity,
        closes: new Float64Array(values.length),
        warmupCandles: 0,
      } as BacktestRun;
      const range = { fromMs: 0, toMs: 1, candles: values.length };
      const report = buildReport(config, { run: backtest, metrics: {} as Metrics, range });
      assert.equal(formatReportJson(report), JSON.stringify(report, null, 2) + "\n");
    }),
    { numRuns: 40 },
  );
});

Deno.test("JSON report property: any trade values (nested, empty, escaped, non-ASCII strings) come out as JSON.stringify writes them", () => {
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.constantFrom(
      "",
      '"',
      "\\",
      "\n",
      "a:b,c",
      "{}",
      "[]",
      "\u2028",
      "é",
      '"k": [1, {}], "',
      '\\"{,',
    ),
  );
  const leaf = fc.oneof(text, fc.double(), fc.boolean(), fc.constant(null));
  const trade = fc.oneof(
    fc.dictionary(text, fc.oneof(leaf, fc.array(leaf), fc.dictionary(text, leaf))),
    fc.array(leaf),
    leaf,
  );
  fc.assert(
    fc.property(fc.array(trade, { maxLength: 450 }), (trades) => {
      const range = { fromMs: 0, toMs: 1, candles: 0 };
      const plain = { config, range, metrics: {}, trades, equity: [] } as unknown as BacktestReport;
      assert.equal(formatReportJson(plain), JSON.stringify(plain, null, 2) + "\n");
    }),
    { numRuns: 150 },
  );
});

Deno.test("JSON report: thousands of trades, streamed in batches, are JSON.stringify's text", () => {
  const reasons = ["signal", "stop_loss", 'odd "reason"\nwith a line break', "</script>"];
  const trades = Array.from({ length: 2_345 }, (_, i) => ({
    entryTimeMs: 1_700_000_000_000 + i * 60_000,
    exitTimeMs: 1_700_000_000_000 + i * 60_000 + 30_000,
    entryPrice: 100 + i / 7,
    exitPrice: 100 + i / 3,
    amount: 0.1 * (i % 13),
    pnl: i % 2 === 0 ? -i / 9 : i / 11,
    pnlPct: (i % 5) - 2.5,
    fees: i * 1e-7,
    exitReason: reasons[i % reasons.length],
  }));
  const run = {
    trades: [],
    decisions: [],
    timesMs: Float64Array.from({ length: 3 }, (_, i) => i * 60_000),
    equity: Float64Array.from([1, 2.5, 3]),
    closes: new Float64Array(3),
    warmupCandles: 0,
  } as unknown as BacktestRun;
  const range = { fromMs: 0, toMs: 1, candles: 3 };
  for (const count of [0, 1, 999, 1_000, 1_001, 2_345]) {
    const report = buildReport(config, {
      run: { ...run, trades: trades.slice(0, count) } as unknown as BacktestRun,
      metrics: {} as Metrics,
      range,
    });
    assert.equal(formatReportJson(report), JSON.stringify(report, null, 2) + "\n", `${count}`);
  }
});

Deno.test("JSON report: open times at every digit boundary are JSON.stringify's text", () => {
  const times = [0, 1, 99_999_999, 1e8, 1e8 + 1, 2e8 - 1, 1_700_000_000_000, 1_699_999_999_999];
  for (let q = 1; q < 2 ** 53 / 1e8; q = q * 7 + 3) times.push(q * 1e8 - 1, q * 1e8, q * 1e8 + 1);
  times.push(2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e21, -1e8, 1.5e8 + 0.5);
  const run = {
    trades: [],
    decisions: [],
    timesMs: Float64Array.from(times),
    equity: Float64Array.from(times, (_, i) => 10_000 + (i % 3)),
    closes: new Float64Array(times.length),
    warmupCandles: 0,
  } as BacktestRun;
  const range = { fromMs: 0, toMs: 1, candles: times.length };
  const report = buildReport(config, { run, metrics: {} as Metrics, range });
  assert.equal(formatReportJson(report), JSON.stringify(report, null, 2) + "\n");
});

Deno.test("JSON report property: times a whole step apart, carried across 10^8 and the 13-digit edges, are JSON.stringify's text", () => {
  // The writer carries a time's halves from the time before while the step is a whole number
  // below 1e8; starts near a carry or an edge of the 13 digits, steps large and small, and now
  // and then an irregular time that breaks the carry.
  const startTime = fc.oneof(
    fc.integer({ min: 1, max: 99_999 }).map((q) => q * 1e8 - 5 * 60_000),
    fc.constantFrom(1e12 - 120_000, 1e13 - 120_000, 1e13 - 1e8 - 7),
    fc.integer({ min: 1e12, max: 1e13 }),
  );
  const step = fc.oneof(
    fc.constantFrom(60_000, 1, 99_999_999, 1e8, 0),
    fc.integer({ min: 0, max: 2e8 }),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
  );
  fc.assert(
    fc.property(
      startTime,
      step,
      fc.integer({ min: 1, max: 400 }),
      fc.array(fc.tuple(fc.nat(399), fc.double()), { maxLength: 3 }),
      (start, by, count, breaks) => {
        const times = Array.from({ length: count }, (_, i) => start + i * by);
        for (const [at, time] of breaks) if (at < count) times[at] = time;
        const run = {
          trades: [],
          decisions: [],
          timesMs: Float64Array.from(times),
          equity: Float64Array.from(times, (_, i) => 10_000 + (i % 5 < 3 ? 0 : i)),
          closes: new Float64Array(count),
          warmupCandles: 0,
        } as BacktestRun;
        const range = { fromMs: 0, toMs: 1, candles: count };
        const report = buildReport(config, { run, metrics: {} as Metrics, range });
        assert.equal(formatReportJson(report), JSON.stringify(report, null, 2) + "\n");
      },
    ),
    { numRuns: 300 },
  );
});
