/** The terminal report: aligned metrics, an equity sparkline, recent trades; colour optional. */
import { type BacktestReport, equitySeries } from "./report_json.ts";
import { formatUtc } from "../core/format_time.ts";
import { sparkline } from "../core/sparkline.ts";
import { formatNumber } from "./format.ts";
import { formatMetric, METRIC_ROWS } from "./metric_rows.ts";

/** Gaps found inside the tested range. */
export interface GapSummary {
  readonly gaps: number;
  readonly missingCandles: number;
  readonly largestMissing: number;
}

/** Options for `formatTerminalReport`. */
export interface TerminalReportOptions {
  /** ANSI colours (a TTY without NO_COLOR). */
  readonly color: boolean;
  readonly gaps?: GapSummary | null;
  /** How many of the last trades to list. */
  readonly lastTrades?: number;
}

/** The report as lines of text. */
export function formatTerminalReport(
  report: BacktestReport,
  options: TerminalReportOptions,
): string[] {
  const paint = painter(options.color);
  const { config, range, metrics } = report;
  const params = Object.entries(config.strategy.params).map(([k, v]) => `${k}=${v}`).join(" ");
  const lines = [
    paint.bold(`Backtest ${config.name}`) +
    `  ${config.exchange} ${config.symbol} ${config.timeframe}  ${config.strategy.name} ${params}`,
    `Range ${formatUtc(range.fromMs)} → ${formatUtc(range.toMs)} UTC, ` +
    `${formatNumber(range.candles, 0)} candles, ${gapText(options.gaps ?? null)}`,
    "",
  ];
  const cells = METRIC_ROWS.map(([key, label, kind]) => {
    const value = metrics[key];
    return [
      label,
      formatMetric(value, kind),
      kind === "signedPct" ? Math.sign(value ?? 0) : 0,
    ] as const;
  });
  const half = Math.ceil(cells.length / 2);
  const labelWidth = Math.max(...cells.map(([label]) => label.length));
  const valueWidth = Math.max(...cells.map(([, text]) => text.length));
  const cell = ([label, text, sign]: readonly [string, string, number]) =>
    paint.dim(label.padEnd(labelWidth)) + "  " + paint.sign(text.padStart(valueWidth), sign);
  for (let i = 0; i < half; i++) {
    const right = cells[i + half];
    lines.push(cell(cells[i]) + (right ? "    " + cell(right) : ""));
  }
  const curve = sparkline(lastOfSlices(equitySeries(report).values, 64), 64);
  lines.push("", `Equity ${paint.sign(curve, Math.sign(metrics.returnPct ?? 0))}`);
  const last = report.trades.slice(-(options.lastTrades ?? 5));
  if (last.length > 0) {
    lines.push("", paint.dim(`Last ${last.length} of ${report.trades.length} trades`));
    for (const t of last) {
      lines.push(
        `  ${formatUtc(t.entryTimeMs)} → ${formatUtc(t.exitTimeMs)}  ` +
          `${formatNumber(t.entryPrice, 2).padStart(12)} → ${
            formatNumber(t.exitPrice, 2).padStart(12)
          }  ` +
          paint.sign(`${formatNumber(t.pnlPct, 2, true)} %`.padStart(9), Math.sign(t.pnl)) +
          `  ${t.exitReason}`,
      );
    }
  }
  return lines;
}

function gapText(gaps: GapSummary | null): string {
  if (gaps === null || gaps.gaps === 0) return "no gaps";
  return `${gaps.gaps} gap${gaps.gaps === 1 ? "" : "s"} (${gaps.missingCandles} candles missing, ` +
    `largest ${gaps.largestMissing})`;
}

function painter(color: boolean) {
  const wrap = (code: string) => (text: string) => color ? `\x1b[${code}m${text}\x1b[0m` : text;
  const green = wrap("32");
  const red = wrap("31");
  return {
    bold: wrap("1"),
    dim: wrap("2"),
    sign: (text: string, sign: number) => sign > 0 ? green(text) : sign < 0 ? red(text) : text,
  };
}

/** The last value of each of `count` equal slices of `values`, so a chart spans the whole run. */
function lastOfSlices(values: ArrayLike<number>, count: number): number[] {
  const n = values.length;
  const slices = Math.min(count, n);
  return Array.from({ length: slices }, (_, i) => values[Math.ceil(((i + 1) * n) / slices) - 1]);
}
