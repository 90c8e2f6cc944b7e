/** Equity-curve statistics with backtesting.py's definitions: drawdowns and daily returns. */

const DAY_MS = 86_400_000;

/** Drawdown figures of an equity curve; fractions (0.1 = 10 %), durations in ms; NaN = undefined. */
export interface DrawdownStats {
  readonly maxDrawdown: number;
  readonly avgDrawdown: number;
  readonly maxDurationMs: number;
  readonly avgDurationMs: number;
}

/**
 * Drawdown is `1 - equity / running peak`. A drawdown period runs from the last bar at a peak
 * to the next bar back at a peak (or the last bar); its duration is the time between the two
 * and its depth the deepest drawdown inside (backtesting.py's `compute_drawdown_duration_peaks`).
 */
export function drawdownStats(
  timesMs: ArrayLike<number>,
  equity: ArrayLike<number>,
): DrawdownStats {
  const n = equity.length;
  let peak = -Infinity;
  let maxDrawdown = 0;
  let periods = 0;
  let depthSum = 0;
  let durationSum = 0;
  let maxDurationMs = Number.NaN;
  let start = 0;
  let depth = 0;
  // A period closes at `end` (no closure over these counters: it would keep them off registers).
  let end = -1;
  for (let i = 0; i <= n; i++) {
    if (i < n) {
      const value = equity[i];
      if (value > peak) peak = value;
      const dd = 1 - value / peak;
      if (dd > maxDrawdown) maxDrawdown = dd;
      if (dd !== 0) {
        if (dd > depth) depth = dd;
        continue;
      }
      end = i;
    } else end = n - 1;
    if (depth > 0) {
      const durationMs = timesMs[end] - timesMs[start];
      periods++;
      depthSum += depth;
      durationSum += durationMs;
      if (!(durationMs <= maxDurationMs)) maxDurationMs = durationMs;
    }
    start = i;
    depth = 0;
  }
  return {
    maxDrawdown,
    avgDrawdown: periods === 0 ? Number.NaN : depthSum / periods,
    maxDurationMs: periods === 0 ? Number.NaN : maxDurationMs,
    avgDurationMs: periods === 0 ? Number.NaN : durationSum / periods,
  };
}

/** Daily return figures, annualised over `periodsPerYear` days; NaN = undefined. */
export interface ReturnStats {
  readonly annualReturn: number;
  readonly annualVolatility: number;
  /** Root mean square of the negative daily returns, annualised (Sortino's denominator). */
  readonly downsideDeviation: number;
}

/**
 * Resamples equity to the last value of each UTC day, takes day-over-day returns and annualises
 * them as backtesting.py does: the geometric mean daily return g (the first day counts as a 0
 * return), `(1+g)^N - 1`, and volatility `sqrt((var + (1+g)^2)^N - (1+g)^(2N))`.
 */
export function returnStats(
  timesMs: ArrayLike<number>,
  equity: ArrayLike<number>,
  periodsPerYear = 365,
): ReturnStats {
  const daily = dailyLast(timesMs, equity);
  const days = daily.length;
  const returns: number[] = [];
  for (let k = 1; k < days; k++) returns.push(daily[k] / daily[k - 1] - 1);
  const g = geometricMean(returns, days);
  const annualReturn = (1 + g) ** periodsPerYear - 1;
  const variance = sampleVariance(returns);
  const annualVolatility = Math.sqrt(
    (variance + (1 + g) ** 2) ** periodsPerYear - (1 + g) ** (2 * periodsPerYear),
  );
  let squares = 0;
  for (const r of returns) if (r < 0) squares += r * r;
  const downsideDeviation = returns.length === 0
    ? Number.NaN
    : Math.sqrt(squares / returns.length) * Math.sqrt(periodsPerYear);
  return { annualReturn, annualVolatility, downsideDeviation };
}

/** backtesting.py's `geometric_mean`: 0 when any 1 + r ≤ 0; `count` includes leading NaNs. */
export function geometricMean(returns: readonly number[], count = returns.length): number {
  if (count === 0) return Number.NaN;
  let logSum = 0;
  for (const r of returns) {
    if (1 + r <= 0) return 0;
    logSum += Math.log(1 + r);
  }
  return Math.exp(logSum / count) - 1;
}

/** Variance with one degree of freedom removed; NaN below two values. */
export function sampleVariance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let sum = 0;
  for (const v of values) sum += (v - mean) ** 2;
  return sum / (n - 1);
}

function dailyLast(timesMs: ArrayLike<number>, equity: ArrayLike<number>): number[] {
  const out: number[] = [];
  const n = equity.length;
  if (n === 0) return out;
  // The current UTC day as [from, until) ms: most candles skip the division. Its last value is
  // kept aside and pushed when the next day starts.
  let from = Number.NaN;
  let until = Number.NaN;
  let day = Number.NaN;
  let last = Number.NaN;
  for (let i = 0; i < n; i++) {
    const timeMs = timesMs[i];
    if (!(timeMs >= from && timeMs < until)) {
      const d = Math.floor(timeMs / DAY_MS);
      from = d * DAY_MS;
      until = from + DAY_MS;
      if (d !== day) {
        if (i > 0) out.push(last);
        day = d;
      }
    }
    last = equity[i];
  }
  out.push(last);
  return out;
}
