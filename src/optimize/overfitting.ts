/** The overfitting statistics of one optimisation: DSR of the chosen trial and PBO of all. */
import { deflatedSharpe, returnMoments } from "./deflated_sharpe.ts";
import { dailyReturns } from "./daily_equity.ts";
import { probabilityOfOverfitting, sharpeFrom } from "./pbo.ts";

/** The statistics and what they were computed from. */
export interface OverfittingStats {
  /** Probability that the chosen trial's true Sharpe ratio beats the best of worthless trials. */
  readonly deflatedSharpe: number | null;
  /** Probability of backtest overfitting (CSCV). */
  readonly pbo: number | null;
  /** Trials the choice was made from. */
  readonly trials: number;
  /** The chosen trial's daily Sharpe ratio and the luck benchmark it is measured against. */
  readonly dailySharpe: number | null;
  readonly benchmarkDailySharpe: number;
  readonly pboSlices: number;
}

/**
 * DSR of `chosen` among `series` (each trial's daily equity, one window), counting `tried`
 * trials, and PBO over `series` with `slices` slices.
 */
export function overfittingStats(
  series: readonly Float64Array[],
  chosen: number,
  options: { tried: number; slices: number },
): OverfittingStats {
  const returns = series.map(dailyReturns);
  const moments = returns.map(returnMoments);
  const sharpes = moments.map((m) => sharpeFrom(m.mean, m.std));
  const finite = sharpes.filter(Number.isFinite);
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const variance = finite.length > 1
    ? finite.reduce((a, s) => a + (s - mean) ** 2, 0) / (finite.length - 1)
    : 0;
  const best = moments[chosen];
  const dsr = deflatedSharpe({
    sharpe: sharpes[chosen],
    trials: options.tried,
    sharpeVariance: variance,
    skewness: best.skewness,
    kurtosis: best.kurtosis,
    observations: best.count,
  });
  const pbo = probabilityOfOverfitting(returns, options.slices);
  return {
    deflatedSharpe: dsr.dsr,
    pbo: pbo?.pbo ?? null,
    trials: options.tried,
    dailySharpe: Number.isFinite(sharpes[chosen]) ? sharpes[chosen] : null,
    benchmarkDailySharpe: dsr.benchmarkSharpe,
    pboSlices: options.slices,
  };
}
