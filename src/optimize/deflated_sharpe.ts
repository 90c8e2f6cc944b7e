/**
 * The Deflated Sharpe Ratio of Bailey and López de Prado (2014): the probability that the true
 * Sharpe ratio of the best of N trials exceeds the Sharpe ratio that the best of N worthless
 * trials would show by luck, given the sample length and the skewness and kurtosis of returns.
 */
import { normalCdf, normalQuantile } from "./normal.ts";

/** Euler–Mascheroni constant. */
const EULER_GAMMA = 0.5772156649015329;

/** What the DSR is computed from; Sharpe ratios are per observation (not annualised). */
export interface DeflatedSharpeInput {
  /** Sharpe ratio of the selected trial, per observation. */
  readonly sharpe: number;
  /** Number of trials the selection was made from. */
  readonly trials: number;
  /** Variance of the per-observation Sharpe ratios across the trials. */
  readonly sharpeVariance: number;
  /** Skewness of the selected trial's returns. */
  readonly skewness: number;
  /** Kurtosis (not excess: 3 for normal returns) of the selected trial's returns. */
  readonly kurtosis: number;
  /** Number of returns behind `sharpe`. */
  readonly observations: number;
}

/** The DSR and the benchmark Sharpe ratio it is measured against. */
export interface DeflatedSharpe {
  /** Probability in [0, 1]; null when the inputs cannot give one (too few returns). */
  readonly dsr: number | null;
  /** Expected maximum per-observation Sharpe ratio of `trials` worthless trials. */
  readonly benchmarkSharpe: number;
}

/**
 * Expected maximum of N independent Sharpe ratios with mean 0 and the given variance:
 * `sqrt(V) * ((1 - γ) Z⁻¹(1 - 1/N) + γ Z⁻¹(1 - 1/(N e)))`; 0 for a single trial.
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (trials <= 1 || !(sharpeVariance > 0)) return 0;
  const z = (1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) +
    EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E));
  return Math.sqrt(sharpeVariance) * z;
}

/**
 * The Probabilistic Sharpe Ratio: the probability that the true Sharpe ratio exceeds
 * `benchmark`, `Z[(SR - SR*) sqrt(T - 1) / sqrt(1 - γ3 SR + (γ4 - 1)/4 SR²)]`.
 */
export function probabilisticSharpe(
  input: Omit<DeflatedSharpeInput, "trials" | "sharpeVariance">,
  benchmark: number,
): number | null {
  const { sharpe, skewness, kurtosis, observations } = input;
  const spread = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (observations < 2 || !(spread > 0) || !Number.isFinite(sharpe)) return null;
  return normalCdf((sharpe - benchmark) * Math.sqrt(observations - 1) / Math.sqrt(spread));
}

/** The DSR: the PSR against the expected maximum Sharpe ratio of the trials. */
export function deflatedSharpe(input: DeflatedSharpeInput): DeflatedSharpe {
  const benchmarkSharpe = expectedMaxSharpe(input.trials, input.sharpeVariance);
  return { dsr: probabilisticSharpe(input, benchmarkSharpe), benchmarkSharpe };
}

/** Mean, sample standard deviation, skewness and kurtosis (population moments, as the paper). */
export interface ReturnMoments {
  readonly count: number;
  readonly mean: number;
  readonly std: number;
  readonly skewness: number;
  readonly kurtosis: number;
  /** mean / std; NaN when std is 0. */
  readonly sharpe: number;
}

/** The moments of a return series. */
export function returnMoments(returns: ArrayLike<number>): ReturnMoments {
  const n = returns.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += returns[i];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = returns[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  const std = n > 1 ? Math.sqrt(m2 / (n - 1)) : Number.NaN;
  const variance = m2 / n;
  return {
    count: n,
    mean,
    std,
    skewness: variance > 0 ? m3 / n / variance ** 1.5 : 0,
    kurtosis: variance > 0 ? m4 / n / (variance * variance) : 3,
    sharpe: std > 0 ? mean / std : Number.NaN,
  };
}
