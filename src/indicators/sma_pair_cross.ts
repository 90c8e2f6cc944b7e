/** A fast and a slow SMA of one series and their strict cross, with a scan over a column. */
import { assertPeriod } from "./indicator.ts";

/**
 * `update(x)` equals `cross.update(fast.update(x), slow.update(x))` of an `Sma(fast)`, an
 * `Sma(slow)` and a `Cross`, bit for bit (the same sums in the same order). `scan` runs the same
 * steps over a column with the state in local variables, which is several times faster than
 * calling `update` per input.
 */
export class SmaPairCross {
  readonly #fastPeriod: number;
  readonly #slowPeriod: number;
  readonly #fastWindow: Float64Array;
  readonly #slowWindow: Float64Array;
  #fastNext = 0;
  #slowNext = 0;
  #fastCount = 0;
  #slowCount = 0;
  #fastSum = 0;
  #slowSum = 0;
  #fast = NaN;
  #slow = NaN;

  constructor(fast: number, slow: number) {
    assertPeriod(fast, "fast");
    assertPeriod(slow, "slow");
    this.#fastPeriod = fast;
    this.#slowPeriod = slow;
    this.#fastWindow = new Float64Array(fast);
    this.#slowWindow = new Float64Array(slow);
  }

  /** The last fast SMA, `NaN` while warming up. */
  get fast(): number {
    return this.#fast;
  }

  /** The last slow SMA, `NaN` while warming up. */
  get slow(): number {
    return this.#slow;
  }

  /** Feeds one input: 1 when fast crossed above slow, -1 when it crossed below, else 0. */
  update(input: number): number {
    const previousFast = this.#fast, previousSlow = this.#slow;
    const fast = this.#updateFast(input);
    const slow = this.#updateSlow(input);
    if (previousFast < previousSlow && fast > slow) return 1;
    if (previousFast > previousSlow && fast < slow) return -1;
    return 0;
  }

  /**
   * `update(values[i])` for `i` of `[from, to)` until one returns `wanted` (1 or -1): returns
   * that index (its input consumed), or `to` when none did.
   */
  scan(values: Float64Array, from: number, to: number, wanted: number): number {
    let i = from;
    // Warm-up (and any period longer than the run) goes input by input.
    while (i < to && (this.#fastCount < this.#fastPeriod || this.#slowCount < this.#slowPeriod)) {
      if (this.update(values[i]) === wanted) return i;
      i++;
    }
    if (i >= to) return to;
    const fastWindow = this.#fastWindow, slowWindow = this.#slowWindow;
    const fastPeriod = this.#fastPeriod, slowPeriod = this.#slowPeriod;
    let fastNext = this.#fastNext, slowNext = this.#slowNext;
    let fastSum = this.#fastSum, slowSum = this.#slowSum;
    let previousFast = this.#fast, previousSlow = this.#slow;
    let fast = previousFast, slow = previousSlow;
    let hit = to;
    for (; i < to; i++) {
      const x = values[i];
      fastSum += x - fastWindow[fastNext];
      fastWindow[fastNext] = x;
      fastNext = fastNext + 1 === fastPeriod ? 0 : fastNext + 1;
      fast = fastSum / fastPeriod;
      slowSum += x - slowWindow[slowNext];
      slowWindow[slowNext] = x;
      slowNext = slowNext + 1 === slowPeriod ? 0 : slowNext + 1;
      slow = slowSum / slowPeriod;
      const up = previousFast < previousSlow && fast > slow;
      const down = previousFast > previousSlow && fast < slow;
      if (wanted === 1 ? up : down) {
        hit = i;
        break;
      }
      previousFast = fast;
      previousSlow = slow;
    }
    this.#fastNext = fastNext;
    this.#slowNext = slowNext;
    this.#fastSum = fastSum;
    this.#slowSum = slowSum;
    this.#fast = fast;
    this.#slow = slow;
    return hit;
  }

  #updateFast(input: number): number {
    const index = this.#fastNext;
    const period = this.#fastPeriod;
    if (this.#fastCount < period) {
      this.#fastCount++;
      this.#fastSum += input;
    } else {
      this.#fastSum += input - this.#fastWindow[index];
    }
    this.#fastWindow[index] = input;
    this.#fastNext = index + 1 === period ? 0 : index + 1;
    if (this.#fastCount === period) this.#fast = this.#fastSum / period;
    return this.#fast;
  }

  #updateSlow(input: number): number {
    const index = this.#slowNext;
    const period = this.#slowPeriod;
    if (this.#slowCount < period) {
      this.#slowCount++;
      this.#slowSum += input;
    } else {
      this.#slowSum += input - this.#slowWindow[index];
    }
    this.#slowWindow[index] = input;
    this.#slowNext = index + 1 === period ? 0 : index + 1;
    if (this.#slowCount === period) this.#slow = this.#slowSum / period;
    return this.#slow;
  }
}
