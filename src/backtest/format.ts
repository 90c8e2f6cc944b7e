/** Number, time and duration formatting shared by the text and HTML reports. */

/** `1,234.57`; with `signed`, a leading `+` on positives. */
export function formatNumber(value: number, digits: number, signed = false): string {
  const text = value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return signed && value > 0 ? `+${text}` : text;
}

/** `2024-07-10 13:00` (UTC). */
export function formatUtc(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(0, 16).replace("T", " ");
}

/** `3d 4h`, `5h 30m`, `45m`, `0m`. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return mins > 0 ? `${hours}h ${mins}m` : `${hours}h`;
  return `${mins}m`;
}
