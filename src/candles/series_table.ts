/** The `candles list` table: one line per stored series. */
import { formatUtc } from "../core/format_time.ts";
import type { StoredSeries } from "../storage/mod.ts";

/** Fixed-width text table of stored series with gap counts (`gaps[i]` for `series[i]`). */
export function formatSeriesTable(
  series: readonly StoredSeries[],
  gaps: readonly number[],
): string[] {
  const header = [
    "exchange",
    "symbol",
    "timeframe",
    "candles",
    "first (UTC)",
    "last (UTC)",
    "gaps",
  ];
  const rows = series.map((s, i) => [
    s.exchange,
    s.symbol,
    s.timeframe,
    String(s.count),
    formatUtc(s.firstMs),
    formatUtc(s.lastMs),
    String(gaps[i] ?? 0),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 3 || c === 6 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join("  ").trimEnd();
  if (rows.length === 0) return ["(no candles stored)"];
  return [line(header), ...rows.map(line)];
}
