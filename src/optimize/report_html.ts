/**
 * The self-contained HTML report of an optimisation: the stitched out-of-sample equity beside
 * buy and hold, the fold table, a heatmap of the objective over two parameters, and the DSR and
 * PBO with a sentence on how to read each. The charting library is inlined, as in the backtest
 * report, so the file opens offline.
 */
import { formatMetric } from "../backtest/metric_rows.ts";
import type { CandleColumns } from "../backtest/run_backtest.ts";
import { formatUtc } from "../core/format_time.ts";
import type { OptimizeResult } from "./optimize_run.ts";
import type { OptimizeReport } from "./report_json.ts";
import { heatmapTable } from "./report_heatmap.ts";
import { verdict } from "./verdict.ts";

/** Options for `formatOptimizeHtml`. */
export interface OptimizeHtmlOptions {
  /** The text of lightweight-charts' standalone script. */
  readonly chartLibrary: string;
  /** The candles of the run (buy and hold without walk-forward). */
  readonly candles: CandleColumns;
}

const MAX_POINTS = 2_000;

/** The page's styles: one readable column, tabular numbers, the verdict set apart. */
const PAGE_CSS = `
body { font: 14px/1.5 system-ui, sans-serif; color: #111827; max-width: 1180px; margin: 20px auto;
  padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 22px 0 6px; }
.sub { color: #6b7280; margin: 4px 0 10px; }
.verdict { font-size: 16px; padding: 10px 12px; border-radius: 6px; background: #f3f4f6; }
.chart { height: 380px; border: 1px solid #e5e7eb; border-radius: 6px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 6px; border-bottom: 1px solid #f3f4f6; text-align: right; white-space: nowrap; }
.folds th { background: #f9fafb; } .folds th, .folds td { font-size: 12px; }
.heat { width: auto; } .heat td, .heat th { text-align: center; min-width: 56px; }
`;

/** The whole HTML document. */
export function formatOptimizeHtml(
  report: OptimizeReport,
  result: OptimizeResult,
  options: OptimizeHtmlOptions,
): string {
  const { config } = report;
  const title = `Optimisation of ${config.name}: ${config.strategy.name} on ${config.exchange} ` +
    `${config.symbol} ${config.timeframe}`;
  const curve = equityCurves(result, options.candles, config.account.balance);
  const metric = report.objective.metric;
  const o = result.full.overfitting;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p class="sub">${escapeHtml(summaryLine(report))}</p>
<p class="verdict">${escapeHtml(verdict(result))}</p>
<h2>${escapeHtml(curve.title)}</h2>
<div id="equity" class="chart"></div>
<p class="sub">${escapeHtml(curve.note)}</p>
<section class="columns">
<div><h2>Deflated Sharpe ratio: ${num(o.deflatedSharpe, 3)}</h2>
<p>The probability that the chosen combination's true Sharpe ratio is above what the best of ${o.trials}
worthless combinations would show by luck; read 0.95 or more as an edge, below 0.5 as luck.
(Daily Sharpe ${num(o.dailySharpe, 4)} against a luck benchmark of ${
    num(o.benchmarkDailySharpe, 4)
  }.)</p></div>
<div><h2>Probability of backtest overfitting: ${num(o.pbo, 3)}</h2>
<p>How often the in-sample best ranks in the bottom half out of sample across ${o.pboSlices}-slice
cross-validation; near 0 the choice carries over, near 0.5 or above it is as good as picking at random.</p></div>
</section>
${foldSection(report, result)}
<h2>${escapeHtml(metric)} over two parameters (whole range)</h2>
${heatmapTable(result.full.trials, metric)}
<h2>Best combination on the whole range</h2>
<p>${escapeHtml(result.full.best.overrides.join(" "))}: ${metric} ${
    num(report.best.metrics[metric], 2)
  }, return ${
    formatMetric(report.best.metrics.returnPct, "signedPct")
  }, ${report.best.metrics.trades} trades.</p>
<script>${inlineScript(options.chartLibrary)}</script>
<script type="application/json" id="optimize-data">${
    inlineScript(JSON.stringify(curve.data))
  }</script>
<script>${CHART_SCRIPT}</script>
</body></html>
`;
}

function summaryLine(report: OptimizeReport): string {
  const space = Object.entries(report.space).map(([k, v]) =>
    `${k.split(".").at(-1)} ${v[0]}..${v[v.length - 1]} (${v.length})`
  ).join(", ");
  return `${report.method.name} search of ${space}; objective ${report.objective.direction} ` +
    `${report.objective.metric}, at least ${report.objective.minTrades} trades; ` +
    `${report.overfitting.trials} combinations tried`;
}

function foldSection(report: OptimizeReport, result: OptimizeResult): string {
  if (report.folds === undefined || result.outOfSample === null) {
    return `<p class="sub">No walk-forward: run with --walk-forward train=180d,test=30d to see whether the choice holds out of sample.</p>`;
  }
  const metric = report.objective.metric;
  const rows = report.folds.map((f, k) =>
    `<tr><td>${k + 1}</td><td>${day(f.trainFrom)} → ${day(f.trainTo)}</td><td>${
      day(f.testFrom)
    } → ${day(f.testTo)}</td><td>${escapeHtml(Object.values(f.bestParams).join(" "))}</td><td>${
      num(f.inSample.metrics[metric], 2)
    }</td><td>${formatMetric(f.inSample.metrics.returnPct, "signedPct")}</td><td>${
      num(result.folds![k].train.overfitting.deflatedSharpe, 2)
    }</td><td>${num(result.folds![k].train.overfitting.pbo, 2)}</td><td>${
      num(f.outOfSample.metrics[metric], 2)
    }</td><td>${formatMetric(f.outOfSample.metrics.returnPct, "signedPct")}</td><td>${
      formatMetric(f.outOfSample.metrics.buyHoldReturnPct, "signedPct")
    }</td><td>${f.outOfSample.metrics.trades}</td></tr>`
  ).join("\n");
  const oos = result.outOfSample.metrics;
  return `<h2>Walk-forward folds</h2>
<table class="folds"><thead><tr><th>#</th><th>Train (UTC)</th><th>Test (UTC)</th><th>Best params</th>
<th>IS ${escapeHtml(metric)}</th><th>IS return</th><th>IS DSR</th><th>IS PBO</th><th>OOS ${
    escapeHtml(metric)
  }</th><th>OOS return</th>
<th>Buy &amp; hold</th><th>OOS trades</th></tr></thead><tbody>${rows}</tbody></table>
<p>Out of sample overall: return ${formatMetric(oos.returnPct, "signedPct")}, Sharpe ${
    num(oos.sharpe, 2)
  }, max drawdown ${formatMetric(oos.maxDrawdownPct, "signedPct")}, ${oos.trades} trades.
Walk-forward efficiency ${
    num(result.walkForwardEfficiency, 2)
  } (annualised out-of-sample return over
the folds' mean annualised in-sample return; near 1 the in-sample results carried over, near 0 or
below they did not). Parameter stability ${
    result.parameterStability === null ? "—" : `${Math.round(result.parameterStability * 100)} %`
  } (folds that kept the previous fold's best).</p>`;
}

/** The stitched OOS equity and buy and hold (or, without folds, the best's daily equity). */
function equityCurves(result: OptimizeResult, candles: CandleColumns, balance: number) {
  if (result.outOfSample !== null) {
    const { timesMs, equity, closes } = result.outOfSample;
    const step = Math.max(1, Math.ceil(timesMs.length / MAX_POINTS));
    const strategy: number[][] = [];
    const hold: number[][] = [];
    for (let i = 0; i < timesMs.length; i += step) {
      strategy.push([timesMs[i], equity[i]]);
      hold.push([timesMs[i], balance * closes[i] / closes[0]]);
    }
    return {
      title: "Out-of-sample equity (test windows stitched) and buy & hold",
      note: "Each test window starts flat with the balance the previous one ended with.",
      data: { strategy, hold },
    };
  }
  const step = Math.max(1, Math.ceil(candles.length / MAX_POINTS));
  const hold: number[][] = [];
  for (let i = 0; i < candles.length; i += step) {
    hold.push([candles.openTimeMs[i], balance * candles.close[i] / candles.close[0]]);
  }
  const days = result.full.best.dailyEquity;
  const dayMs = 86_400_000;
  const first = Math.floor(candles.openTimeMs[0] / dayMs) * dayMs;
  const strategy = Array.from(days, (v, i) => [first + i * dayMs, v]);
  return {
    title: "In-sample equity of the best combination (daily) and buy & hold",
    note:
      "In-sample only: the best of many combinations on the same data looks better than it will trade.",
    data: { strategy, hold },
  };
}

const CHART_SCRIPT = `
(() => {
  const LC = window.LightweightCharts;
  const data = JSON.parse(document.getElementById("optimize-data").textContent);
  const sec = (ms) => Math.floor(ms / 1000);
  const chart = LC.createChart(document.getElementById("equity"), {
    autoSize: true,
    layout: { background: { color: "#ffffff" }, textColor: "#374151" },
    grid: { vertLines: { color: "#f3f4f6" }, horzLines: { color: "#f3f4f6" } },
    timeScale: { timeVisible: true, secondsVisible: false, minBarSpacing: 0.001 },
  });
  const line = (rows, color, title) => {
    const series = chart.addSeries(LC.LineSeries, { color, lineWidth: 2, title });
    const seen = new Set();
    series.setData(rows.filter(([t]) => !seen.has(sec(t)) && seen.add(sec(t)))
      .map(([t, v]) => ({ time: sec(t), value: v })));
  };
  line(data.hold, "#9ca3af", "buy & hold");
  line(data.strategy, "#2563eb", "strategy");
  chart.timeScale().fitContent();
})();
`;

function num(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? "—"
    : value.toFixed(digits);
}

function day(ms: number): string {
  return formatUtc(ms).slice(0, 10);
}

/** Text that is safe inside a `<script>` element. */
function inlineScript(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** Text that is safe in HTML content. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}
