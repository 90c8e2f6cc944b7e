/** Stochastic oscillator: %K over a high/low window and %D, its SMA. */
import { assertPeriod, type Bar, type Indicator } from "./indicator.ts";
import { RollingMax, RollingMin } from "./rolling_extreme.ts";
import { Sma } from "./sma.ts";

/**
 * `update` returns %K = 100 × (close − lowest low) / (highest high − lowest low) over `period`
 * bars (`warmup = period - 1`); `d` is the SMA of %K over `dPeriod` (`dWarmup`). A flat window
 * gives %K = 0, as in technicalindicators.
 */
export class Stochastic implements Indicator<Bar> {
  /** How many inputs return `NaN` before the first %K. */
  readonly warmup: number;
  /** How many inputs leave %D `NaN`. */
  readonly dWarmup: number;
  readonly #highest: RollingMax;
  readonly #lowest: RollingMin;
  readonly #d: Sma;
  #k = NaN;

  /** `dPeriod` defaults to 3. */
  constructor(period: number, options: { dPeriod?: number } = {}) {
    assertPeriod(period);
    const dPeriod = options.dPeriod ?? 3;
    assertPeriod(dPeriod, "dPeriod");
    this.#highest = new RollingMax(period);
    this.#lowest = new RollingMin(period);
    this.#d = new Sma(dPeriod);
    this.warmup = period - 1;
    this.dWarmup = period + dPeriod - 2;
  }

  /** The last %K, `NaN` while warming up. */
  get value(): number {
    return this.#k;
  }

  /** %D: the SMA of %K. */
  get d(): number {
    return this.#d.value;
  }

  /** Feeds one bar and returns %K. */
  update(bar: Bar): number {
    const highest = this.#highest.update(bar.high);
    const lowest = this.#lowest.update(bar.low);
    if (highest !== highest) return NaN;
    const range = highest - lowest;
    this.#k = range > 0 ? (100 * (bar.close - lowest)) / range : 0;
    this.#d.update(this.#k);
    return this.#k;
  }
}
