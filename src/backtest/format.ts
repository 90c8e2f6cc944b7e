/** Number formatting shared by the text and HTML reports (times and durations: core). */

/**
 * `1,234.57`; with `signed`, a leading `+` on positives. The same text as
 * `toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })`,
 * about 20x faster: it rounds the shortest decimal form half away from zero as ICU does (so
 * 1.005 gives 1.01), and leaves what it does not handle (∞, NaN, ≥ 1e21, exponents) to Intl.
 */
export function formatNumber(value: number, digits: number, signed = false): string {
  const text = fixedGrouped(value, digits) ?? value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return signed && value > 0 ? `+${text}` : text;
}

function fixedGrouped(value: number, digits: number): string | null {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21 || digits < 0 || digits > 20) return null;
  const negative = value < 0 || Object.is(value, -0);
  const shortest = String(negative ? -value : value);
  if (shortest.includes("e")) return null;
  const dot = shortest.indexOf(".");
  let whole = dot < 0 ? shortest : shortest.slice(0, dot);
  let fraction = dot < 0 ? "" : shortest.slice(dot + 1);
  if (fraction.length <= digits) {
    fraction = fraction.padEnd(digits, "0");
  } else {
    const up = fraction.charCodeAt(digits) >= 53; // "5"
    fraction = fraction.slice(0, digits);
    if (up) [whole, fraction] = roundUp(whole, fraction);
  }
  const grouped = group(whole);
  return (negative ? "-" : "") + grouped + (digits > 0 ? "." + fraction : "");
}

/** Adds one unit in the last place of `whole.fraction` (decimal strings), carrying left. */
function roundUp(whole: string, fraction: string): [string, string] {
  const all = (whole + fraction).split("");
  let i = all.length - 1;
  while (i >= 0 && all[i] === "9") all[i--] = "0";
  if (i < 0) all.unshift("1");
  else all[i] = String.fromCharCode(all[i].charCodeAt(0) + 1);
  const split = all.length - fraction.length;
  return [all.slice(0, split).join(""), all.slice(split).join("")];
}

/** `1234567` → `1,234,567`. */
function group(whole: string): string {
  if (whole.length <= 3) return whole;
  let out = whole.slice(0, whole.length % 3 || 3);
  for (let i = out.length; i < whole.length; i += 3) out += "," + whole.slice(i, i + 3);
  return out;
}
