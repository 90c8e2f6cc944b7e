import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { backtestConfig } from "./backtest_config.ts";
import { formatHtmlReport } from "./report_html.ts";
import { formatTerminalReport } from "./report_terminal.ts";
import { formatTradesCsv } from "./report_csv.ts";
import { toColumns } from "./run_backtest.ts";
import { sparkline } from "../core/sparkline.ts";
import { parseSweep } from "./sweep_grid.ts";

const candles = toColumns(loadSampleCandles("kraken_BTC-USD_1h.csv"));
const config = parseInstanceConfig(
  "name: report-test\nexchange: kraken\nsymbol: BTC/USD\ntimeframe: 1h\nstrategy:\n  name: sma_cross\n",
);
const outcome = backtestConfig(config, candles);

Deno.test("terminal report is plain without colour and coloured with it, with aligned rows", () => {
  const plain = formatTerminalReport(outcome.report, { color: false });
  assert.ok(plain.every((line) => !line.includes("\x1b[")));
  const table = plain.slice(3, plain.indexOf("", 3));
  assert.equal(table.length, 15, "29 metrics in two columns");
  assert.equal(new Set(table.slice(0, -1).map((line) => line.length)).size, 1, "aligned columns");
  const coloured = formatTerminalReport(outcome.report, { color: true });
  assert.ok(coloured.some((line) => line.includes("\x1b[3")));
  assert.match(plain.join("\n"), /no gaps/);
  const gappy = formatTerminalReport(outcome.report, {
    color: false,
    gaps: { gaps: 2, missingCandles: 7, largestMissing: 5 },
  });
  assert.match(gappy.join("\n"), /2 gaps \(7 candles missing, largest 5\)/);
});

Deno.test("HTML report inlines the chart library and its data, escaping script ends", () => {
  const page = formatHtmlReport(outcome.report, candles, {
    chartLibrary: "window.LightweightCharts = {}; // </script> inside",
  });
  assert.match(page, /^<!doctype html>/);
  assert.equal(page.match(/<\/script>/g)?.length, 3, "only the three script elements close");
  assert.match(page, /<\\\/script> inside/);
  assert.ok(!/\bsrc=|\bhref=/.test(page), "nothing is loaded from elsewhere");
  const data = JSON.parse(
    page.match(/<script type="application\/json" id="report-data">(.*?)<\/script>/s)![1],
  );
  assert.equal(data.candles.length, candles.length);
  assert.equal(data.trades.length, outcome.report.trades.length);
});

Deno.test("CSV report has one line per trade under its header", () => {
  const lines = formatTradesCsv(outcome.report.trades).trimEnd().split("\n");
  assert.equal(lines[0].split(",").length, 11);
  assert.equal(lines.length, outcome.report.trades.length + 1);
  assert.match(lines[1], /^\d+,\d+,\d{4}-\d\d-\d\dT/);
});

Deno.test("terminal report draws the equity of the whole run in 64 blocks", () => {
  const equity = outcome.report.equity.map(([, value]) => value);
  assert.ok(equity.length > 64);
  const sampled = Array.from(
    { length: 64 },
    (_, i) => equity[Math.ceil((i + 1) * equity.length / 64) - 1],
  );
  const plain = formatTerminalReport(outcome.report, { color: false });
  assert.ok(plain.includes(`Equity ${sparkline(sampled, 64)}`));
});

Deno.test("sweep parsing gives exact decimal grids and one-line errors", () => {
  assert.deepEqual(parseSweep("risk.stop_loss_pct=0.5..2:0.5"), {
    key: "risk.stop_loss_pct",
    values: [0.5, 1, 1.5, 2],
  });
  assert.deepEqual(parseSweep("strategy.params.fast=5..20:5").values, [5, 10, 15, 20]);
  assert.deepEqual(parseSweep("risk.stop_loss_pct=0.1..0.3:0.1").values, [0.1, 0.2, 0.3]);
  assert.throws(
    () => parseSweep("risk.stop_loss_pct=3..1:1"),
    /from \(3\) must not exceed to \(1\)/,
  );
  assert.throws(() => parseSweep("risk.stop_los_pct=1..3:1"), /did you mean "risk.stop_loss_pct"/);
  assert.throws(() => parseSweep("fast=1..3"), /expected key=from..to:step/);
});
