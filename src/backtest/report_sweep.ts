/** The ranked sweep table: one row per combination, best first. */
import { formatMetric } from "./metric_rows.ts";
import type { SweepResult } from "./sweep_results.ts";

/** Aligned table lines for the top `limit` results (already ranked). */
export function formatSweepTable(ranked: readonly SweepResult[], limit = 20): string[] {
  const shown = ranked.slice(0, limit);
  if (shown.length === 0) return ["No combination ran."];
  const keys = shown[0].overrides.map((o) => o.slice(0, o.indexOf("=")));
  const header = [
    "#",
    ...keys.map((k) => k.split(".").at(-1)!),
    "return",
    "sharpe",
    "max dd",
    "trades",
    "win rate",
  ];
  const rows = shown.map((r, i) => [
    String(i + 1),
    ...r.overrides.map((o) => o.slice(o.indexOf("=") + 1)),
    formatMetric(r.metrics.returnPct, "signedPct"),
    formatMetric(r.metrics.sharpe, "ratio"),
    formatMetric(r.metrics.maxDrawdownPct, "signedPct"),
    formatMetric(r.metrics.trades, "count"),
    formatMetric(r.metrics.winRatePct, "pct"),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padStart(widths[c])).join("  ");
  return [line(header), ...rows.map(line)];
}
