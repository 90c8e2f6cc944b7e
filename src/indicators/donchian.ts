/** Donchian channel: the highest high and lowest low of the last `period` bars. */
import { assertPeriod, type Bar, type Indicator } from "./indicator.ts";
import { RollingMax, RollingMin } from "./rolling_extreme.ts";

/**
 * `update` returns the middle line; `upper` and `lower` share its `warmup` (`period - 1`).
 * The window includes the bar just fed, so a breakout test compares a close with the channel
 * read *before* feeding that bar.
 */
export class Donchian implements Indicator<Bar> {
  /** How many inputs return `NaN` before the first value. */
  readonly warmup: number;
  readonly #highest: RollingMax;
  readonly #lowest: RollingMin;

  constructor(period: number) {
    assertPeriod(period);
    this.#highest = new RollingMax(period);
    this.#lowest = new RollingMin(period);
    this.warmup = period - 1;
  }

  /** The middle line, `NaN` while warming up. */
  get value(): number {
    return (this.#highest.value + this.#lowest.value) / 2;
  }

  /** Highest high of the window. */
  get upper(): number {
    return this.#highest.value;
  }

  /** Lowest low of the window. */
  get lower(): number {
    return this.#lowest.value;
  }

  /** Feeds one bar and returns the middle line. */
  update(bar: Bar): number {
    return (this.#highest.update(bar.high) + this.#lowest.update(bar.low)) / 2;
  }
}
