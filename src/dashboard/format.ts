/** Pure text formatting for the dashboard: money, percentages, amounts, ages, sizes. */
import { formatDuration } from "../core/format_time.ts";

const DASH = "–";

/** Quote money with thousands separators and 2 decimals: `12,345.67`; `–` when unknown. */
export function formatMoney(quoteAmount: number | null | undefined, signed = false): string {
  if (quoteAmount === null || quoteAmount === undefined || !Number.isFinite(quoteAmount)) {
    return DASH;
  }
  const text = Math.abs(quoteAmount).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  // Rounding can turn -0.004 into "0.00"; show no sign for a zero.
  if (text === "0.00") return signed ? "0.00" : text;
  if (quoteAmount < 0) return `-${text}`;
  return signed ? `+${text}` : text;
}

/** A percentage with a sign and 2 decimals: `+1.25%`; `–` when unknown. */
export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return DASH;
  const text = Math.abs(pct).toFixed(2);
  if (text === "0.00") return "0.00%";
  return `${pct < 0 ? "-" : "+"}${text}%`;
}

/** A price or base amount with up to 8 significant digits and no exponent for usual sizes. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value === 0) return "0";
  const abs = Math.abs(value);
  const decimals = abs >= 1000 ? 2 : abs >= 1 ? 4 : Math.min(8, 3 - Math.floor(Math.log10(abs)));
  return value.toLocaleString("en-US", { maximumFractionDigits: decimals, useGrouping: false });
}

/** How long ago `timeMs` was, as `12s ago`; `–` when there is no time. */
export function formatAge(timeMs: number | null | undefined, nowMs: number): string {
  if (timeMs === null || timeMs === undefined) return DASH;
  return `${formatDuration(nowMs - timeMs)} ago`;
}

/** UTC clock time `HH:MM:SS` of an epoch ms. */
export function formatClock(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(11, 19);
}

/** A byte count as `512 B`, `1.5 KiB`, `12.0 MiB`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return DASH;
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Fits text into `width` cells: pads, or cuts with an ellipsis. Right-aligns when asked. */
export function fit(text: string, width: number, align: "left" | "right" = "left"): string {
  if (width <= 0) return "";
  if (text.length > width) return width === 1 ? "…" : `${text.slice(0, width - 1)}…`;
  return align === "right" ? text.padStart(width) : text.padEnd(width);
}
