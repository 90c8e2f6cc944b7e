/** Exponential moving average, seeded with the SMA of the first `period` inputs. */
import { assertPeriod, type Indicator } from "./indicator.ts";

/**
 * EMA with alpha = 2 / (period + 1). The first value is the SMA of the first `period` inputs
 * (as technicalindicators and TA-Lib seed it), so `warmup = period - 1`.
 */
export class Ema implements Indicator<number> {
  /** How many inputs return `NaN` before the first value. */
  readonly warmup: number;
  readonly #period: number;
  readonly #alpha: number;
  #count = 0;
  #sum = 0;
  #value = NaN;

  /** `alpha` defaults to 2 / (period + 1); Wilder smoothing passes 1 / period. */
  constructor(period: number, options: { alpha?: number } = {}) {
    assertPeriod(period);
    this.#period = period;
    this.#alpha = options.alpha ?? 2 / (period + 1);
    this.warmup = period - 1;
  }

  /** The last value, `NaN` while warming up. */
  get value(): number {
    return this.#value;
  }

  /** Feeds one input and returns the new average. */
  update(input: number): number {
    if (this.#count >= this.#period) {
      this.#value += (input - this.#value) * this.#alpha;
      return this.#value;
    }
    this.#sum += input;
    if (++this.#count === this.#period) this.#value = this.#sum / this.#period;
    return this.#value;
  }
}
