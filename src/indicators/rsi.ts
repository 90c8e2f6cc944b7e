/** Relative strength index with Wilder smoothing. */
import { assertPeriod, type Indicator } from "./indicator.ts";

/**
 * Wilder's RSI: average gain and loss seeded with the mean of the first `period` changes, then
 * smoothed with alpha = 1 / period. Needs `period` changes, so `warmup = period`. With no losses
 * RSI is 100, with no gains 0 (both flat: 100), as technicalindicators does.
 */
export class Rsi implements Indicator<number> {
  /** How many inputs return `NaN` before the first value. */
  readonly warmup: number;
  readonly #period: number;
  #count = 0;
  #previous = NaN;
  #averageGain = 0;
  #averageLoss = 0;
  #value = NaN;

  constructor(period: number) {
    assertPeriod(period);
    this.#period = period;
    this.warmup = period;
  }

  /** The last value, `NaN` while warming up. */
  get value(): number {
    return this.#value;
  }

  /** Feeds one close and returns the RSI in [0, 100]. */
  update(input: number): number {
    const change = input - this.#previous;
    this.#previous = input;
    const count = this.#count++;
    if (count === 0) return this.#value;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    const period = this.#period;
    if (count > period) {
      this.#averageGain = (this.#averageGain * (period - 1) + gain) / period;
      this.#averageLoss = (this.#averageLoss * (period - 1) + loss) / period;
    } else {
      // During the seed the fields hold sums; they become averages at the period-th change.
      this.#averageGain += gain;
      this.#averageLoss += loss;
      if (count < period) return this.#value;
      this.#averageGain /= period;
      this.#averageLoss /= period;
    }
    this.#value = rsiOf(this.#averageGain, this.#averageLoss);
    return this.#value;
  }
}

function rsiOf(averageGain: number, averageLoss: number): number {
  if (averageLoss === 0) return 100;
  if (averageGain === 0) return 0;
  return 100 - 100 / (1 + averageGain / averageLoss);
}
