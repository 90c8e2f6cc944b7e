/**
 * The Probability of Backtest Overfitting by combinatorially symmetric cross-validation
 * (Bailey, Borwein, López de Prado and Zhu, 2015). The trials' returns are cut into S equal
 * slices; for every way of choosing S/2 of them as in-sample (the rest out-of-sample), the
 * trial with the best in-sample Sharpe ratio is ranked out of sample. PBO is the share of
 * splits in which it ranks at or below the median: λ = ln(ω / (1 - ω)) ≤ 0 with ω its relative
 * rank.
 */

/** Default number of slices, as in the paper. */
export const DEFAULT_PBO_SLICES = 16;

/** The PBO and the distribution it comes from. */
export interface PboResult {
  /** Share of splits whose in-sample best ranked at or below the out-of-sample median. */
  readonly pbo: number;
  readonly slices: number;
  /** Number of splits, C(S, S/2). */
  readonly combinations: number;
  /** λ of every split, in enumeration order. */
  readonly logits: readonly number[];
}

/**
 * PBO of `trials` (one return series each, all the same length) over `slices` slices, S even;
 * null when there are fewer than 2 trials or fewer returns than slices.
 */
export function probabilityOfOverfitting(
  trials: readonly ArrayLike<number>[],
  slices = DEFAULT_PBO_SLICES,
): PboResult | null {
  if (slices < 2 || slices % 2 !== 0) throw new RangeError(`slices must be even (got ${slices})`);
  const n = trials.length;
  const length = n > 0 ? trials[0].length : 0;
  if (n < 2 || length < slices * 2) return null;
  const stats = sliceSums(trials, slices);
  const totals = trialTotals(stats, n, slices);
  const half = slices / 2;
  const logits: number[] = [];
  const inSample = new Float64Array(n);
  const outSample = new Float64Array(n);
  // Running sums `[3][t]` of the slices chosen so far, one array per depth: the halves are
  // enumerated depth first (lexicographically), so each step adds one slice's columns.
  const partial = Array.from({ length: half + 1 }, () => new Float64Array(3 * n));
  let overfit = 0;
  const score = (sums: Float64Array) => {
    for (let t = 0; t < n; t++) {
      inSample[t] = sharpeOfSums(sums[t], sums[n + t], sums[2 * n + t]);
      // Out of sample is the rest of the trial's returns.
      outSample[t] = sharpeOfSums(
        totals[t * 3] - sums[t],
        totals[t * 3 + 1] - sums[n + t],
        totals[t * 3 + 2] - sums[2 * n + t],
      );
    }
    let best = 0;
    for (let t = 1; t < n; t++) if (inSample[t] > inSample[best]) best = t;
    const omega = averageRank(outSample, outSample[best]) / (n + 1);
    const logit = Math.log(omega / (1 - omega));
    logits.push(logit);
    if (logit <= 0) overfit++;
  };
  const visit = (start: number, depth: number) => {
    if (depth === half) return score(partial[half]);
    const from = partial[depth];
    const to = partial[depth + 1];
    for (let s = start; s <= slices - (half - depth); s++) {
      // Slice s of every trial: three contiguous columns.
      const base = s * n * 3;
      for (let k = 0; k < 3 * n; k++) to[k] = from[k] + stats[base + k];
      visit(s + 1, depth + 1);
    }
  };
  visit(0, 0);
  return { pbo: overfit / logits.length, slices, combinations: logits.length, logits };
}

/** Per slice: the sums, sums of squares and counts of every trial, flattened `[s][3][t]`. */
function sliceSums(trials: readonly ArrayLike<number>[], slices: number): Float64Array {
  const length = trials[0].length;
  const sums = new Float64Array(trials.length * slices * 3);
  trials.forEach((returns, t) => {
    for (let s = 0; s < slices; s++) {
      // Slice s holds [floor(s·T/S), floor((s+1)·T/S)): equal sizes within one return.
      const from = Math.floor((s * length) / slices);
      const to = Math.floor(((s + 1) * length) / slices);
      let sum = 0;
      let squares = 0;
      for (let i = from; i < to; i++) {
        sum += returns[i];
        squares += returns[i] * returns[i];
      }
      const n = trials.length;
      sums[s * n * 3 + t] = sum;
      sums[s * n * 3 + n + t] = squares;
      sums[s * n * 3 + 2 * n + t] = to - from;
    }
  });
  return sums;
}

/** Per trial: the sum, sum of squares and count over all its slices, flattened `[t][3]`. */
function trialTotals(stats: Float64Array, trials: number, slices: number): Float64Array {
  const totals = new Float64Array(trials * 3);
  for (let t = 0; t < trials; t++) {
    for (let s = 0; s < slices; s++) {
      for (let j = 0; j < 3; j++) totals[t * 3 + j] += stats[s * trials * 3 + j * trials + t];
    }
  }
  return totals;
}

/** Sharpe ratio (mean / sample std) from a sum, a sum of squares and a count. */
function sharpeOfSums(sum: number, squares: number, count: number): number {
  const mean = sum / count;
  const variance = Math.max(0, (squares - sum * mean) / (count - 1));
  return sharpeFrom(mean, Math.sqrt(variance));
}

/** mean / std, with a flat series (std 0) scoring 0 and a constant non-zero one ±Infinity. */
export function sharpeFrom(mean: number, std: number): number {
  if (std > 1e-15 * Math.max(1, Math.abs(mean))) return mean / std;
  return mean === 0 || Math.abs(mean) < 1e-18 ? 0 : Math.sign(mean) * Infinity;
}

/** 1-based rank of `value` among `values` (1 = lowest), ties sharing their average rank. */
function averageRank(values: Float64Array, value: number): number {
  let below = 0;
  let equal = 0;
  for (const v of values) {
    if (v < value) below++;
    else if (v === value) equal++;
  }
  return below + (equal + 1) / 2;
}
