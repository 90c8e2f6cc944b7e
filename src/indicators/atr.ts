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
  /** Bars seen, capped at `period + 1` (the first bar only supplies a previous close). */
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
    // True range = max(high, prevClose) − min(low, prevClose). Written branch-free because
    // prevClose lands outside [low, high] at random: a mispredicted `?:` cost ~40% here.
    // `x + (d + |d|) / 2` with d = y − x is max(x, y) exactly whenever y − x is exact, i.e.
    // (Sterbenz) whenever consecutive prices are within a factor of 2; else within an ulp.
    const above = previousClose - high, below = low - previousClose;
    const trueRange = high + (above + Math.abs(above)) * 0.5 -
      (low - (below + Math.abs(below)) * 0.5);
    if (this.#count > this.#period) {
      const value = this.#value + (trueRange - this.#value) * this.#alpha;
      this.#value = value;
      return value;
    }
    return this.#warmUp(trueRange);
  }

  /** Bar 1 has no previous close; bars 2 … period + 1 seed the average with their mean. */
  #warmUp(trueRange: number): number {
    if (this.#count++ === 0) return NaN;
    this.#sum += trueRange;
    if (this.#count > this.#period) this.#value = this.#sum / this.#period;
    return this.#value;
  }
}
