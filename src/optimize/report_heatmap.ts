/** A heatmap table of the objective over the first two searched parameters. */
import type { Trial } from "./optimize_window.ts";

/** An HTML table: rows are the first parameter, columns the second; other params at their best. */
export function heatmapTable(trials: readonly Trial[], metric: string): string {
  if (trials.length === 0) return "";
  const keys = Object.keys(trials[0].params);
  if (keys.length < 2) return `<p class="sub">The heatmap needs two searched parameters.</p>`;
  const [rowKey, colKey] = keys;
  const rows = [...new Set(trials.map((t) => t.params[rowKey]))].sort((a, b) => a - b);
  const cols = [...new Set(trials.map((t) => t.params[colKey]))].sort((a, b) => a - b);
  const cell = new Map<string, number>();
  for (const t of trials) {
    const value = (t.metrics as unknown as Record<string, number | null>)[metric];
    if (value === null || !Number.isFinite(value)) continue;
    const key = `${t.params[rowKey]}|${t.params[colKey]}`;
    // With more than two params, each cell shows the best over the others.
    cell.set(key, Math.max(cell.get(key) ?? -Infinity, value));
  }
  const values = [...cell.values()];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  // Red (low) through white to green (high).
  const color = (v: number) => {
    const x = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    const mix = (from: number[], to: number[], t: number) =>
      from.map((c, i) => Math.round(c + (to[i] - c) * t)).join(",");
    return x < 0.5
      ? `rgb(${mix([239, 68, 68], [249, 250, 251], x * 2)})`
      : `rgb(${mix([249, 250, 251], [34, 197, 94], (x - 0.5) * 2)})`;
  };
  const short = (k: string) => k.split(".").at(-1)!;
  const head = `<tr><th>${short(rowKey)} \\ ${short(colKey)}</th>${
    cols.map((c) => `<th>${c}</th>`).join("")
  }</tr>`;
  const body = rows.map((r) =>
    `<tr><th>${r}</th>${
      cols.map((c) => {
        const v = cell.get(`${r}|${c}`);
        return v === undefined
          ? "<td>—</td>"
          : `<td style="background:${color(v)}">${v.toFixed(2)}</td>`;
      }).join("")
    }</tr>`
  ).join("\n");
  return `<table class="heat">${head}${body}</table>`;
}
