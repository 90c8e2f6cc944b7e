/** Number formatting shared by the text and HTML reports (times and durations: core). */

/** `1,234.57`; with `signed`, a leading `+` on positives. */
export function formatNumber(value: number, digits: number, signed = false): string {
  const text = value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return signed && value > 0 ? `+${text}` : text;
}
