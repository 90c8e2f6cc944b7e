/**
 * The DSR against the numerical example of Bailey and López de Prado (2014), "The Deflated
 * Sharpe Ratio", section "A numerical example", pp. 9–10 of the SSRN version
 * (https://ssrn.com/abstract=2460551; the copy found by search:
 * https://de.scribd.com/document/306724182/DEFLATED-SHARPE-RATIO), and against a straightforward
 * implementation written here from the paper's formulas.
 */
import assert from "node:assert/strict";
import {
  deflatedSharpe,
  expectedMaxSharpe,
  probabilisticSharpe,
  returnMoments,
} from "./deflated_sharpe.ts";
import { normalCdf, normalQuantile } from "./normal.ts";
import { normalDraws, seededRandom } from "../core/seeded_random.ts";

Deno.test("deflatedSharpe reproduces the paper's numerical example (SR0 0.1132, DSR 0.9004)", () => {
  // 100 trials on 5 years of daily returns (T = 1250, 250 a year); the best has an annualised
  // Sharpe ratio of 2.5, the trials' annualised Sharpe ratios have variance 1/2, and the
  // returns have skewness -3 and kurtosis 10. The paper: SR0 ≈ 0.1132 per day, DSR ≈ 0.9004.
  const result = deflatedSharpe({
    sharpe: 2.5 / Math.sqrt(250),
    trials: 100,
    sharpeVariance: 0.5 / 250,
    skewness: -3,
    kurtosis: 10,
    observations: 1250,
  });
  assert.equal(result.benchmarkSharpe.toFixed(4), "0.1132");
  assert.equal(result.dsr!.toFixed(4), "0.9004");
});

Deno.test("deflatedSharpe reproduces the example's follow-ups (N = 46, and normal returns at N = 88)", () => {
  // The paper goes on: with 46 trials instead of 100 the DSR would have been 0.9505, and with
  // normal returns (skewness 0, kurtosis 3) 88 trials would give the same 0.9505.
  const base = { sharpe: 2.5 / Math.sqrt(250), sharpeVariance: 0.5 / 250, observations: 1250 };
  const fewer = deflatedSharpe({ ...base, trials: 46, skewness: -3, kurtosis: 10 });
  const normal = deflatedSharpe({ ...base, trials: 88, skewness: 0, kurtosis: 3 });
  assert.equal(fewer.dsr!.toFixed(4), "0.9505");
  assert.equal(normal.dsr!.toFixed(4), "0.9505");
});

Deno.test("normalCdf and normalQuantile match tabulated values and invert each other", () => {
  assert.ok(Math.abs(normalCdf(-3) - 0.0013498980316301) < 1e-15);
  assert.ok(Math.abs(normalCdf(1.959963984540054) - 0.975) < 1e-15);
  assert.ok(Math.abs(normalCdf(-8) - 6.220960574271785e-16) < 1e-25);
  for (const p of [1e-12, 1e-6, 0.01, 0.3, 0.5, 0.9, 0.99, 1 - 1e-9]) {
    const x = normalQuantile(p);
    assert.ok(Math.abs(normalCdf(x) - p) < 1e-14 * Math.max(1, 1 / p), `p ${p}`);
  }
  assert.equal(normalQuantile(0.5), 0);
});

/** The paper's formulas, written out plainly (a bisection for the quantile). */
function plainDsr(returns: number[], trialSharpes: number[]): number {
  const n = returns.length;
  const mean = returns.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1));
  const popVar = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / n;
  const skew = returns.reduce((a, r) => a + (r - mean) ** 3, 0) / n / popVar ** 1.5;
  const kurt = returns.reduce((a, r) => a + (r - mean) ** 4, 0) / n / popVar ** 2;
  const sr = mean / sd;
  const m = trialSharpes.reduce((a, b) => a + b, 0) / trialSharpes.length;
  const v = trialSharpes.reduce((a, s) => a + (s - m) ** 2, 0) / (trialSharpes.length - 1);
  const quantile = (p: number) => {
    let lo = -40;
    let hi = 40;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (normalCdf(mid) < p) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const N = trialSharpes.length;
  const g = 0.5772156649015329;
  const sr0 = Math.sqrt(v) * ((1 - g) * quantile(1 - 1 / N) + g * quantile(1 - 1 / (N * Math.E)));
  const z = ((sr - sr0) * Math.sqrt(n - 1)) / Math.sqrt(1 - skew * sr + ((kurt - 1) / 4) * sr * sr);
  return normalCdf(z);
}

Deno.test("deflatedSharpe agrees with a plain implementation on simulated trials", () => {
  const draw = normalDraws(seededRandom(11));
  for (const [trials, drift] of [[20, 0.02], [200, 0.05], [5, 0.0]] as const) {
    const series = Array.from(
      { length: trials },
      () => Array.from({ length: 500 }, () => drift + 0.01 * draw() ** 3),
    );
    const sharpes = series.map((s) => returnMoments(s).sharpe);
    const best = sharpes.indexOf(Math.max(...sharpes));
    const m = returnMoments(series[best]);
    const mean = sharpes.reduce((a, b) => a + b, 0) / trials;
    const variance = sharpes.reduce((a, s) => a + (s - mean) ** 2, 0) / (trials - 1);
    const ours = deflatedSharpe({
      sharpe: m.sharpe,
      trials,
      sharpeVariance: variance,
      skewness: m.skewness,
      kurtosis: m.kurtosis,
      observations: m.count,
    });
    const plain = plainDsr(series[best], sharpes);
    assert.ok(Math.abs(ours.dsr! - plain) < 1e-9, `${trials} trials: ${ours.dsr} vs ${plain}`);
  }
});

Deno.test("expectedMaxSharpe is 0 for one trial and grows with the number of trials", () => {
  assert.equal(expectedMaxSharpe(1, 0.01), 0);
  const values = [10, 100, 1000, 10000].map((n) => expectedMaxSharpe(n, 1));
  for (let i = 1; i < values.length; i++) assert.ok(values[i] > values[i - 1]);
  // Against the mean of the maximum of 1000 standard normals, simulated.
  const draw = normalDraws(seededRandom(3));
  let total = 0;
  const runs = 2000;
  for (let r = 0; r < runs; r++) {
    let max = -Infinity;
    for (let i = 0; i < 1000; i++) max = Math.max(max, draw());
    total += max;
  }
  assert.ok(Math.abs(total / runs - values[2]) < 0.03, `${total / runs} vs ${values[2]}`);
});

Deno.test("probabilisticSharpe is null for fewer than two returns", () => {
  assert.equal(
    probabilisticSharpe({ sharpe: 0.1, skewness: 0, kurtosis: 3, observations: 1 }, 0),
    null,
  );
});
