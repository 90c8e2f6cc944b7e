/** Strict crossing of two series, tracked one pair of values at a time. */

/**
 * `update(a, b)` returns 1 when `a` crossed above `b` (previous a < b and now a > b),
 * -1 when it crossed below (previous a > b and now a < b), else 0. Touching or moving onto
 * equality is not a cross, and any `NaN` (warm-up) is never part of one.
 */
export class Cross {
  #previousA = NaN;
  #previousB = NaN;

  /** Feeds the current pair and returns 1 (up-cross), -1 (down-cross) or 0. */
  update(a: number, b: number): number {
    const previousA = this.#previousA, previousB = this.#previousB;
    this.#previousA = a;
    this.#previousB = b;
    if (previousA < previousB && a > b) return 1;
    if (previousA > previousB && a < b) return -1;
    return 0;
  }
}
