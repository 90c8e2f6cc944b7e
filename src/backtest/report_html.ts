/**
 * The self-contained HTML report: candlesticks with entry/exit markers, equity, drawdown, the
 * metrics table and the trade list. The charting library's standalone script is inlined, so the
 * file opens offline; the caller reads it (from node_modules) and passes it in.
 */
import { formatUtc } from "../core/format_time.ts";
import { formatNumber } from "./format.ts";
import { formatMetric, METRIC_ROWS } from "./metric_rows.ts";
import { type BacktestReport, type EquitySeries, equitySeries } from "./report_json.ts";
import type { CandleColumns } from "./run_backtest.ts";
import { REPORT_CSS, REPORT_SCRIPT } from "./_report_html_assets.ts";

/** Path of lightweight-charts' standalone build, relative to the project root. */
export const CHART_LIBRARY_PATH =
  "node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js";

/** Most candles drawn; longer series are merged into coarser OHLC bars (markers still land). */
const MAX_CHART_CANDLES = 20_000;
/**
 * Trades per page of the table. Every trade is in the page's data; the first page is written
 * as HTML, the others are drawn by the page's script when paged to, so a run of 100,000 trades
 * costs no more to write than one of 100.
 */
export const TRADE_PAGE_ROWS = 100;

/** Options for `formatHtmlReport`. */
export interface HtmlReportOptions {
  /** The text of lightweight-charts' standalone script. */
  readonly chartLibrary: string;
}

/** The whole HTML document as a string. */
export function formatHtmlReport(
  report: BacktestReport,
  candles: CandleColumns,
  options: HtmlReportOptions,
): string {
  return [...htmlReportPieces(report, candles, options)].join("");
}

/**
 * The document of `formatHtmlReport` in pieces (the page around, the chart library, the data),
 * each made when asked for, so a writer encodes and drops each in turn: neither one joined copy
 * of megabytes nor all the pieces (nor all the data rows) are held at once.
 */
export function* htmlReportPieces(
  report: BacktestReport,
  candles: CandleColumns,
  options: HtmlReportOptions,
): Generator<string> {
  const { config, metrics } = report;
  const title =
    `${config.name}: ${config.strategy.name} on ${config.exchange} ${config.symbol} ${config.timeframe}`;
  const equity = equitySeries(report);
  const data = {
    candles: chartCandles(candles),
    equity: everyNth(equity, Math.ceil(equity.length / MAX_CHART_CANDLES)),
    // The first four fields place the markers; the rest fill the trade table's pages.
    trades: rowSource(report.trades.length, (i) => {
      const t = report.trades[i];
      return [
        t.entryTimeMs,
        t.exitTimeMs,
        t.pnl,
        t.exitReason,
        t.entryPrice,
        t.exitPrice,
        t.amount,
        t.pnlPct,
        t.fees,
      ];
    }),
    pageRows: TRADE_PAGE_ROWS,
  };
  const metricRows = METRIC_ROWS.map(([key, label, kind]) =>
    `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(formatMetric(metrics[key], kind))}</td></tr>`
  ).join("\n");
  yield `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p class="sub">${escapeHtml(rangeText(report))}</p>
<section class="charts">
<h2>Price and trades</h2><div id="price" class="chart tall"></div>
<h2>Equity</h2><div id="equity" class="chart"></div>
<h2>Drawdown</h2><div id="drawdown" class="chart short"></div>
</section>
<section class="columns">
<div><h2>Metrics</h2><table class="metrics">${metricRows}</table></div>
<div><h2>Config</h2><pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre></div>
</section>
<h2>Trades (${report.trades.length})</h2>
${tradeTable(report)}
<script>`;
  yield inlineScript(options.chartLibrary);
  yield `</script>
<script type="application/json" id="report-data">`;
  for (const piece of jsonPieces(data)) yield inlineJson(piece);
  yield `</script>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}

function rangeText(report: BacktestReport): string {
  const { range, metrics } = report;
  const ret = metrics.returnPct === null ? "—" : `${formatNumber(metrics.returnPct, 2, true)} %`;
  return `${formatUtc(range.fromMs)} → ${formatUtc(range.toMs)} UTC · ${
    formatNumber(range.candles, 0)
  } candles · ` +
    `${report.trades.length} trades · return ${ret}`;
}

function tradeTable(report: BacktestReport): string {
  const n = report.trades.length;
  const shown = Math.min(n, TRADE_PAGE_ROWS);
  const rows = report.trades.slice(0, shown).map((t, i) =>
    `<tr class="${t.pnl >= 0 ? "win" : "loss"}"><td>${i + 1}</td>` +
    `<td>${formatUtc(t.entryTimeMs)}</td><td>${formatUtc(t.exitTimeMs)}</td>` +
    `<td>${formatNumber(t.entryPrice, 2)}</td><td>${formatNumber(t.exitPrice, 2)}</td>` +
    `<td>${t.amount}</td><td>${formatNumber(t.pnl, 2, true)}</td>` +
    `<td>${formatNumber(t.pnlPct, 2, true)} %</td><td>${formatNumber(t.fees, 2)}</td>` +
    `<td>${t.exitReason}</td></tr>`
  ).join("\n");
  const pages = Math.max(1, Math.ceil(n / TRADE_PAGE_ROWS));
  const pager = pages === 1 ? "" : `<p class="pager" id="trade-pager">` +
    `<button type="button" data-step="-1">&larr; Previous</button> ` +
    `<span id="trade-page">Trades 1–${formatNumber(shown, 0)} of ${formatNumber(n, 0)}</span> ` +
    `<button type="button" data-step="1">Next &rarr;</button> ` +
    `<label>page <input id="trade-page-input" type="number" min="1" max="${pages}" value="1">` +
    ` of ${formatNumber(pages, 0)}</label></p>`;
  return `${pager}<table class="trades"><thead><tr><th>#</th><th>Entry (UTC)</th>` +
    `<th>Exit (UTC)</th><th>Entry price</th><th>Exit price</th><th>Amount</th><th>PnL</th>` +
    `<th>PnL %</th><th>Fees</th><th>Exit reason</th></tr></thead>` +
    `<tbody id="trade-rows">${rows}</tbody></table>`;
}

/** Rows of the page's data made one at a time when written, never all held at once. */
interface RowSource {
  readonly length: number;
  readonly row: (index: number) => unknown;
}

function rowSource(length: number, row: (index: number) => unknown): RowSource {
  return { length, row };
}

function isRowSource(value: unknown): value is RowSource {
  return typeof value === "object" && value !== null && "row" in value && "length" in value;
}

/** OHLC rows `[timeMs, o, h, l, c]`, merged into buckets when there are too many to draw. */
function chartCandles(c: CandleColumns): RowSource {
  const bucket = Math.max(1, Math.ceil(c.length / MAX_CHART_CANDLES));
  const highs = c.high;
  const lows = c.low;
  return rowSource(Math.ceil(c.length / bucket), (k) => {
    const i = k * bucket;
    const end = Math.min(c.length, i + bucket);
    // Plain comparisons, as Math.max/min: a NaN sticks (x !== x), and -0 and 0 are both "0" in
    // the JSON the page reads.
    let high = -Infinity;
    let low = Infinity;
    for (let j = i; j < end; j++) {
      const h = highs[j];
      const l = lows[j];
      if (h > high || h !== h) high = h;
      if (l < low || l !== l) low = l;
    }
    return [c.openTimeMs[i], c.open[i], high, low, c.close[end - 1]];
  });
}

/** Every `step`-th `[time, value]` point plus the last one. */
function everyNth(series: EquitySeries, step: number): RowSource {
  const n = series.length;
  const every = Math.max(1, step);
  const strided = Math.ceil(n / every);
  const withLast = n > 0 && (n - 1) % every !== 0;
  return rowSource(strided + (withLast ? 1 : 0), (k) => {
    const i = k < strided ? k * every : n - 1;
    return [series.timesMs[i], series.values[i]];
  });
}

/** Rows per piece of the report's data. */
const DATA_ROWS_PER_PIECE = 500;

/**
 * `JSON.stringify(data)` in pieces of a few thousand rows each, never the whole text (megabytes
 * for a long run) as one string. Each piece ends between two array elements, so a string in the
 * data is never split (what `inlineScript` escapes lies inside strings).
 */
function* jsonPieces(data: Record<string, unknown>): Generator<string> {
  let text = "{";
  for (const [key, value] of Object.entries(data)) {
    text += `${text === "{" ? "" : ","}${JSON.stringify(key)}:`;
    if (!isRowSource(value)) {
      text += JSON.stringify(value);
      continue;
    }
    if (value.length <= DATA_ROWS_PER_PIECE) {
      text += JSON.stringify(rowsOf(value, 0, value.length));
      continue;
    }
    for (let start = 0; start < value.length; start += DATA_ROWS_PER_PIECE) {
      const end = Math.min(value.length, start + DATA_ROWS_PER_PIECE);
      const rows = JSON.stringify(rowsOf(value, start, end));
      // "[a,b]": the first piece keeps its "[", the last its "]".
      const first = start === 0;
      const last = end === value.length;
      yield text + (first ? "" : ",") + rows.slice(first ? 0 : 1, last ? undefined : -1);
      text = "";
    }
  }
  yield text + "}";
}

/** Rows `start` to `end` (exclusive) of `source`. */
function rowsOf(source: RowSource, start: number, end: number): unknown[] {
  const rows = new Array(end - start);
  for (let i = start; i < end; i++) rows[i - start] = source.row(i);
  return rows;
}

/** Text that is safe inside a `<script>` element. */
function inlineScript(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/**
 * JSON text that is safe inside a `<script>` element and still JSON: `<\/script` as in
 * `inlineScript`, and `<!--` as `\u003c!--` (JSON has no `\!` escape).
 */
function inlineJson(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "\\u003c!--");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}
