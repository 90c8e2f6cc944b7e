/** Average true range with Wilder smoothing. */
import { assertPeriod, type Bar, type Indicator } from "./indicator.ts";

/**
 * Wilder's ATR. True range needs the previous close, so the first bar yields none; the average
 * is seeded with the mean of the first `period` true ranges: `warmup = period`
 * (technicalindicators and TA-Lib agree).
 */
export class Atr implements Indicator<Bar> {
  /** How many inputs return `NaN` before the first value. */
  readonly warmup: number;
  readonly #period: number;
  readonly #alpha: number;
  // Wilder smoothing is inlined rather than delegated to `Ema`: this is a hot path.
  #count = 0;
  #sum = 0;
  #previousClose = NaN;
  #value = NaN;

  constructor(period: number) {
    assertPeriod(period);
    this.#period = period;
    this.#alpha = 1 / period;
    this.warmup = period;
  }

  /** The last value, `NaN` while warming up. */
  get value(): number {
    return this.#value;
  }

  /** Feeds one bar and returns the ATR. */
  update(bar: Bar): number {
    const previousClose = this.#previousClose;
    const high = bar.high, low = bar.low;
    this.#previousClose = bar.close;
    if (previousClose !== previousClose) return NaN;
    const top = high > previousClose ? high : previousClose;
    const bottom = low < previousClose ? low : previousClose;
    // max(high − low, |high − prevClose|, |low − prevClose|) = max(high, prev) − min(low, prev).
    const trueRange = top - bottom;
    if (this.#count >= this.#period) {
      this.#value += (trueRange - this.#value) * this.#alpha;
    } else {
      this.#sum += trueRange;
      if (++this.#count === this.#period) this.#value = this.#sum / this.#period;
    }
    return this.#value;
  }
}
