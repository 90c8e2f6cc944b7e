/** Bollinger Bands: an SMA and bands at `multiplier` population standard deviations. */
import { assertPeriod, type Indicator } from "./indicator.ts";

/**
 * `update` returns the middle band; `upper`, `lower` and `stdDev` share its `warmup`
 * (`period - 1`). The variance slides with Welford's update, which stays accurate where a
 * running sum of squares would cancel catastrophically at BTC prices, and is recomputed exactly
 * once per window length (amortised O(1)) so rounding left by old values cannot pile up.
 */
export class BollingerBands implements Indicator<number> {
  /** How many inputs return `NaN` before the first value. */
  readonly warmup: number;
  readonly #period: number;
  readonly #multiplier: number;
  readonly #window: Float64Array;
  #next = 0;
  #count = 0;
  #mean = 0;
  #m2 = 0;
  #middle = NaN;
  #stdDev = NaN;

  /** `multiplier` (standard deviations to the bands) defaults to 2. */
  constructor(period: number, options: { multiplier?: number } = {}) {
    assertPeriod(period);
    this.#period = period;
    this.#multiplier = options.multiplier ?? 2;
    this.#window = new Float64Array(period);
    this.warmup = period - 1;
  }

  /** The middle band (SMA), `NaN` while warming up. */
  get value(): number {
    return this.#middle;
  }

  /** Middle plus `multiplier` standard deviations. */
  get upper(): number {
    return this.#middle + this.#multiplier * this.#stdDev;
  }

  /** Middle minus `multiplier` standard deviations. */
  get lower(): number {
    return this.#middle - this.#multiplier * this.#stdDev;
  }

  /** Population standard deviation of the window. */
  get stdDev(): number {
    return this.#stdDev;
  }

  /** Feeds one close and returns the middle band. */
  update(input: number): number {
    const period = this.#period, index = this.#next, mean = this.#mean;
    if (this.#count < period) {
      const delta = input - mean;
      this.#mean = mean + delta / ++this.#count;
      this.#m2 += delta * (input - this.#mean);
    } else {
      const oldest = this.#window[index];
      const delta = input - oldest;
      this.#mean = mean + delta / period;
      this.#m2 += delta * (input - this.#mean + oldest - mean);
    }
    this.#window[index] = input;
    this.#next = index + 1 === period ? 0 : index + 1;
    if (this.#next === 0) this.#resync();
    if (this.#count === period) {
      this.#middle = this.#mean;
      this.#stdDev = Math.sqrt(this.#m2 > 0 ? this.#m2 / period : 0);
    }
    return this.#middle;
  }

  /** Two-pass mean and squared deviations of the window as it stands. */
  #resync(): void {
    const window = this.#window, count = this.#count;
    let sum = 0;
    for (let i = 0; i < count; i++) sum += window[i];
    const mean = sum / count;
    let m2 = 0;
    for (let i = 0; i < count; i++) m2 += (window[i] - mean) * (window[i] - mean);
    this.#mean = mean;
    this.#m2 = m2;
  }
}
