/** The demo's comparison table: one row per backtested example config. */
import type { BacktestReport } from "../backtest/mod.ts";
import { formatNumber } from "../backtest/mod.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";

/** Column headers; the first three are text, the rest numbers. */
export const COMPARISON_HEADER = [
  "config",
  "strategy",
  "market",
  "candles",
  "return",
  "buy & hold",
  "max drawdown",
  "sharpe",
  "trades",
] as const;

function pct(value: number | null): string {
  return value === null ? "-" : `${formatNumber(value, 2, true)} %`;
}

/**
 * The table cells of one config's backtest; `config` names the market it ran on. A `marked` row
 * ran on a stand-in market: its market ends in `*`, and a footnote under the table says why.
 */
export function comparisonCells(
  config: InstanceConfig,
  report: BacktestReport,
  options: { marked?: boolean } = {},
): string[] {
  const m = report.metrics;
  return [
    config.name,
    config.strategy.name,
    `${config.exchange} ${config.symbol} ${config.timeframe}${options.marked ? "*" : ""}`,
    formatNumber(report.range.candles, 0),
    pct(m.returnPct),
    pct(m.buyHoldReturnPct),
    pct(m.maxDrawdownPct),
    m.sharpe === null ? "-" : formatNumber(m.sharpe, 2),
    String(m.trades),
  ];
}

/** Header and rows as aligned lines: text columns left-aligned, numeric ones right-aligned. */
export function formatComparisonTable(rows: readonly (readonly string[])[]): string[] {
  const header = COMPARISON_HEADER;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
