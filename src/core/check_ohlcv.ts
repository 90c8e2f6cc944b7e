/** The sanity rules every candle meets, wherever it comes from (a CSV, a feed). */

/** What is wrong with one candle: the field it concerns and why. */
export interface CandleProblem {
  readonly field: string;
  readonly why: string;
}

/** Checks OHLCV sanity (prices > 0, volume >= 0, high/low envelope); null when sane. */
export function checkOhlcv(
  o: number,
  h: number,
  l: number,
  c: number,
  v: number,
): CandleProblem | null {
  // Plain comparisons, no per-row allocation: this runs once per imported candle.
  if (!(o > 0)) return { field: "open", why: `must be > 0 (got ${o})` };
  if (!(h > 0)) return { field: "high", why: `must be > 0 (got ${h})` };
  if (!(l > 0)) return { field: "low", why: `must be > 0 (got ${l})` };
  if (!(c > 0)) return { field: "close", why: `must be > 0 (got ${c})` };
  if (!(v >= 0)) return { field: "volume", why: `must be >= 0 (got ${v})` };
  if (h < l) return { field: "high", why: `is below low (high ${h}, low ${l})` };
  if (h < o || h < c) {
    return { field: "high", why: `is below open/close (high ${h}, open ${o}, close ${c})` };
  }
  if (l > o || l > c) {
    return { field: "low", why: `is above open/close (low ${l}, open ${o}, close ${c})` };
  }
  return null;
}
