/** Times and durations as text, the same in every report, log line and view. */

/** `2024-07-10 13:00`: an epoch ms as a UTC date and minute. */
export function formatUtc(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(0, 16).replace("T", " ");
}

/** A duration in its two largest units: `45s`, `3m05s`, `2h10m`, `4d03h`; negative as `0s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad2(Math.floor(s % 3600 / 60))}m`;
  return `${Math.floor(s / 86_400)}d${pad2(Math.floor(s % 86_400 / 3600))}h`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
