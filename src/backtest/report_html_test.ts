import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { formatUtc } from "../core/format_time.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { backtestConfig } from "./backtest_config.ts";
import { formatNumber } from "./format.ts";
import { formatHtmlReport, TRADE_PAGE_ROWS } from "./report_html.ts";
import { toColumns } from "./run_backtest.ts";

const candles = toColumns(loadSampleCandles("binance_BTC-USDT_1m.csv"));
const config = parseInstanceConfig(
  "name: html-test\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1m\nstrategy:\n  name: sma_cross\n",
);
const { report } = backtestConfig(config, candles);

function reportData(page: string) {
  return JSON.parse(
    page.match(/<script type="application\/json" id="report-data">(.*?)<\/script>/s)![1],
  );
}

Deno.test("HTML trade table: the first page as HTML, every trade in the page's data, a pager", () => {
  assert.ok(report.trades.length > 3 * TRADE_PAGE_ROWS, `${report.trades.length} trades`);
  const page = formatHtmlReport(report, candles, { chartLibrary: "" });
  const body = page.match(/<tbody id="trade-rows">(.*?)<\/tbody>/s)![1];
  const rows = body.split("\n");
  assert.equal(rows.length, TRADE_PAGE_ROWS);
  const t = report.trades[TRADE_PAGE_ROWS - 1];
  assert.equal(
    rows.at(-1),
    `<tr class="${t.pnl >= 0 ? "win" : "loss"}"><td>${TRADE_PAGE_ROWS}</td>` +
      `<td>${formatUtc(t.entryTimeMs)}</td><td>${formatUtc(t.exitTimeMs)}</td>` +
      `<td>${formatNumber(t.entryPrice, 2)}</td><td>${formatNumber(t.exitPrice, 2)}</td>` +
      `<td>${t.amount}</td><td>${formatNumber(t.pnl, 2, true)}</td>` +
      `<td>${formatNumber(t.pnlPct, 2, true)} %</td><td>${formatNumber(t.fees, 2)}</td>` +
      `<td>${t.exitReason}</td></tr>`,
  );
  const pages = Math.ceil(report.trades.length / TRADE_PAGE_ROWS);
  assert.match(
    page,
    new RegExp(`Trades 1–${TRADE_PAGE_ROWS} of ${formatNumber(report.trades.length, 0)}`),
  );
  assert.match(page, new RegExp(`max="${pages}" value="1"`));
  const data = reportData(page);
  assert.equal(data.pageRows, TRADE_PAGE_ROWS);
  assert.deepEqual(
    data.trades,
    report.trades.map((x) => [
      x.entryTimeMs,
      x.exitTimeMs,
      x.pnl,
      x.exitReason,
      x.entryPrice,
      x.exitPrice,
      x.amount,
      x.pnlPct,
      x.fees,
    ]),
  );
});

Deno.test("HTML charts: equity sampled to at most 20,000 points plus the last, as before", () => {
  const data = reportData(formatHtmlReport(report, candles, { chartLibrary: "" }));
  const equity = report.equity;
  const step = Math.ceil(equity.length / 20_000);
  const expected = equity.filter((_, i) => i % step === 0);
  if ((equity.length - 1) % step !== 0) expected.push(equity[equity.length - 1]);
  assert.deepEqual(data.equity, expected);
  assert.ok(data.candles.length <= 20_000);
});

Deno.test("HTML trade table of a run with few trades has no pager", () => {
  const few = { ...report, trades: report.trades.slice(0, 3), equity: report.equity };
  const page = formatHtmlReport(few, candles, { chartLibrary: "" });
  assert.ok(!page.includes('id="trade-pager"'));
  assert.equal(page.match(/<tbody id="trade-rows">(.*?)<\/tbody>/s)![1].split("\n").length, 3);
});

Deno.test("HTML data written in pieces: every trade of a long run, script ends escaped in each", () => {
  const many = Array.from({ length: 4_321 }, (_, i) => ({
    ...report.trades[i % report.trades.length],
    exitReason: i % 1_000 === 999 ? "</script><!--" : report.trades[i % report.trades.length]
      .exitReason,
  }));
  const long = { ...report, trades: many, equity: report.equity } as typeof report;
  const page = formatHtmlReport(long, candles, { chartLibrary: "" });
  assert.equal(page.match(/<\/script>/g)?.length, 3, "only the three script elements close");
  const data = reportData(page);
  assert.equal(data.trades.length, many.length);
  assert.deepEqual(data.trades.map((t: unknown[]) => t[3]), many.map((t) => t.exitReason));
  assert.deepEqual(data.trades[4_000], [
    many[4_000].entryTimeMs,
    many[4_000].exitTimeMs,
    many[4_000].pnl,
    many[4_000].exitReason,
    many[4_000].entryPrice,
    many[4_000].exitPrice,
    many[4_000].amount,
    many[4_000].pnlPct,
    many[4_000].fees,
  ]);
});
