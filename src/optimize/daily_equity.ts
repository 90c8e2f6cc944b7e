/** Equity at each UTC day's last candle, and the day-over-day returns the statistics use. */

const DAY_MS = 86_400_000;

/** The equity of the last candle of each UTC day, oldest first. */
export function dailyEquity(timesMs: ArrayLike<number>, equity: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  let day = Number.NaN;
  for (let i = 0; i < equity.length; i++) {
    const d = Math.floor(timesMs[i] / DAY_MS);
    if (d === day) out[out.length - 1] = equity[i];
    else {
      out.push(equity[i]);
      day = d;
    }
  }
  return Float64Array.from(out);
}

/** Day-over-day returns of daily equity (one fewer than days). */
export function dailyReturns(daily: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, daily.length - 1));
  for (let i = 1; i < daily.length; i++) out[i - 1] = daily[i] / daily[i - 1] - 1;
  return out;
}
