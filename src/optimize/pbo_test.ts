/**
 * PBO by CSCV (Bailey, Borwein, López de Prado and Zhu, 2015, "The Probability of Backtest
 * Overfitting", https://ssrn.com/abstract=2326253): against a plain implementation written here
 * from the paper's steps, and against the controlled study at https://pbo.marketmaker.cc/
 * (T = 1000 returns, N = 200 configurations, S = 16: pure noise gives PBO 0.476 ± 0.137, a
 * planted per-observation edge of 0.15 gives 0.001).
 */
import assert from "node:assert/strict";
import { probabilityOfOverfitting } from "./pbo.ts";
import { normalDraws, seededRandom } from "../core/seeded_random.ts";

function noise(trials: number, length: number, seed: number, edge = (_t: number) => 0) {
  const draw = normalDraws(seededRandom(seed));
  return Array.from(
    { length: trials },
    (_, t) => Float64Array.from({ length }, () => edge(t) + draw()),
  );
}

/** The paper's steps, written out: split, take every half, concatenate, rank by sorting. */
function plainPbo(matrix: Float64Array[], slices: number): { pbo: number; logits: number[] } {
  const length = matrix[0].length;
  const bounds = Array.from({ length: slices + 1 }, (_, s) => Math.floor((s * length) / slices));
  const chosen: number[][] = [];
  const pick = (start: number, taken: number[]) => {
    if (taken.length === slices / 2) return void chosen.push(taken);
    for (let s = start; s < slices; s++) pick(s + 1, [...taken, s]);
  };
  pick(0, []);
  const sharpe = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
    return mean / sd;
  };
  const rows = (t: number, set: number[]) =>
    set.flatMap((s) => Array.from(matrix[t].slice(bounds[s], bounds[s + 1])));
  const logits = chosen.map((train) => {
    const test = Array.from({ length: slices }, (_, s) => s).filter((s) => !train.includes(s));
    const is = matrix.map((_, t) => sharpe(rows(t, train)));
    const oos = matrix.map((_, t) => sharpe(rows(t, test)));
    const best = is.indexOf(Math.max(...is));
    const sorted = [...oos].sort((a, b) => a - b);
    const rank = sorted.indexOf(oos[best]) + 1; // no ties in continuous noise
    const omega = rank / (matrix.length + 1);
    return Math.log(omega / (1 - omega));
  });
  return { pbo: logits.filter((l) => l <= 0).length / logits.length, logits };
}

Deno.test("probabilityOfOverfitting equals a plain implementation of CSCV", () => {
  for (const [trials, slices, seed] of [[7, 8, 1], [12, 10, 2], [5, 12, 3]] as const) {
    const matrix = noise(trials, 160, seed, (t) => 0.02 * t);
    const ours = probabilityOfOverfitting(matrix, slices)!;
    const plain = plainPbo(matrix, slices);
    assert.equal(ours.combinations, plain.logits.length);
    assert.equal(ours.pbo, plain.pbo);
    // The two enumerate the halves in different orders.
    const a = [...ours.logits].sort((x, y) => x - y);
    const b = [...plain.logits].sort((x, y) => x - y);
    a.forEach((l, i) => assert.ok(Math.abs(l - b[i]) < 1e-9, `${l} vs ${b[i]}`));
  }
});

Deno.test("probabilityOfOverfitting splits S = 16 slices into C(16, 8) = 12,870 halves", () => {
  const result = probabilityOfOverfitting(noise(3, 64, 5))!;
  assert.equal(result.slices, 16);
  assert.equal(result.combinations, 12_870);
});

Deno.test("probabilityOfOverfitting of pure noise is near 0.5", () => {
  // The study's null regime (T = 1000, N = 200, S = 16), averaged over 4 seeded matrices.
  const values = [1, 2, 3, 4].map((seed) => probabilityOfOverfitting(noise(200, 1000, seed))!.pbo);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(mean - 0.5) < 0.12, `mean PBO of noise ${mean} (${values})`);
  for (const value of values) assert.ok(Math.abs(value - 0.476) < 3 * 0.137, `${value}`);
});

Deno.test("probabilityOfOverfitting of one genuinely better strategy among noise is near 0", () => {
  // One strategy with a per-observation edge of 0.25 among 99 without: over 500 returns its
  // Sharpe ratio (0.25 ± 0.045) clears the best of 99 noise ones (about 0.11) in nearly
  // every half.
  const one = probabilityOfOverfitting(noise(100, 1000, 9, (t) => (t === 42 ? 0.25 : 0)))!;
  assert.ok(one.pbo < 0.05, `PBO ${one.pbo}`);
  // The study's planted regime: 20 of 200 with that edge gives 0.001.
  const planted = probabilityOfOverfitting(noise(200, 1000, 10, (t) => (t < 20 ? 0.15 : 0)))!;
  assert.ok(planted.pbo < 0.02, `PBO ${planted.pbo}`);
});

Deno.test("probabilityOfOverfitting scores flat trials 0 and needs two trials", () => {
  assert.equal(probabilityOfOverfitting([new Float64Array(64)]), null);
  const flat = [new Float64Array(64), new Float64Array(64)];
  assert.equal(probabilityOfOverfitting(flat)!.logits.every((l) => l === 0), true);
  assert.throws(() => probabilityOfOverfitting(flat, 5), RangeError);
});
