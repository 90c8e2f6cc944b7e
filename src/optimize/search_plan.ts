/**
 * Which points of the space are tried: `grid` (every point), `random` (N distinct points drawn
 * with a seed) and `halving` (successive halving over time: every candidate on the first ninth
 * of the window, the best third on the first third, the best third of those on all of it).
 */
import { combinations, type SweepAxis } from "../backtest/sweep_grid.ts";
import { seededRandom } from "../core/seeded_random.ts";

/** The search methods. */
export const SEARCH_METHODS = ["grid", "random", "halving"] as const;
/** One search method. */
export type SearchMethod = (typeof SEARCH_METHODS)[number];

/** A method and its settings. */
export interface SearchSettings {
  readonly method: SearchMethod;
  /** random: points drawn; halving: starting points when fewer than the grid. */
  readonly samples: number;
  readonly seed: number;
}

/** Successive halving keeps the best 1/ETA at each rung. */
export const HALVING_ETA = 3;
/** Rungs of successive halving: the share of the window each one runs on. */
export const HALVING_FRACTIONS = [1 / 9, 1 / 3, 1] as const;

/** The candidates the method starts from, as `key=value` overrides, in grid order. */
export function initialCandidates(
  axes: readonly SweepAxis[],
  settings: SearchSettings,
): string[][] {
  const grid = combinations(axes);
  if (settings.method === "grid") return grid;
  if (settings.method === "halving" && settings.samples >= grid.length) return grid;
  return sampleDistinct(grid, settings.samples, settings.seed);
}

/** `count` distinct items drawn with `seed` (a partial Fisher–Yates shuffle), in their order. */
export function sampleDistinct<T>(items: readonly T[], count: number, seed: number): T[] {
  if (count >= items.length) return [...items];
  const random = seededRandom(seed);
  const order = items.map((_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (order.length - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count).sort((a, b) => a - b).map((i) => items[i]);
}

/** How many of `n` candidates go on to the next rung. */
export function survivors(n: number): number {
  return Math.max(1, Math.ceil(n / HALVING_ETA));
}

/** Backtests a method runs on one window of `n` candidates (for the progress bar's total). */
export function plannedRuns(settings: SearchSettings, n: number): number {
  if (settings.method !== "halving") return n;
  let total = 0;
  let alive = n;
  for (let r = 0; r < HALVING_FRACTIONS.length; r++) {
    total += alive;
    alive = survivors(alive);
  }
  return total;
}
