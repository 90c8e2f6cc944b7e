/** MACD: the fast EMA minus the slow EMA, its signal EMA and the histogram. */
import { Ema } from "./ema.ts";
import { assertPeriod, type Indicator } from "./indicator.ts";

/** MACD periods; the classic 12/26/9 by default. */
export interface MacdOptions {
  readonly fast?: number;
  readonly slow?: number;
  readonly signal?: number;
}

/**
 * `update` returns the MACD line (`warmup = slow - 1`); `signal` and `histogram` start
 * `signal - 1` inputs later (`signalWarmup`). All EMAs are SMA-seeded, like technicalindicators
 * with `SimpleMAOscillator: false, SimpleMASignal: false`.
 */
export class Macd implements Indicator<number> {
  /** How many inputs return `NaN` before the first MACD line value. */
  readonly warmup: number;
  /** How many inputs leave `signal` and `histogram` `NaN`. */
  readonly signalWarmup: number;
  readonly #fast: Ema;
  readonly #slow: Ema;
  readonly #signal: Ema;
  #line = NaN;
  #signalValue = NaN;

  constructor(options: MacdOptions = {}) {
    const { fast = 12, slow = 26, signal = 9 } = options;
    assertPeriod(fast, "fast");
    assertPeriod(slow, "slow", fast + 1);
    assertPeriod(signal, "signal");
    this.#fast = new Ema(fast);
    this.#slow = new Ema(slow);
    this.#signal = new Ema(signal);
    this.warmup = slow - 1;
    this.signalWarmup = slow + signal - 2;
  }

  /** The last MACD line value, `NaN` while warming up. */
  get value(): number {
    return this.#line;
  }

  /** The signal line: an EMA of the MACD line. */
  get signal(): number {
    return this.#signalValue;
  }

  /** MACD line minus signal line. */
  get histogram(): number {
    return this.#line - this.#signalValue;
  }

  /** Feeds one close and returns the MACD line. */
  update(input: number): number {
    const fast = this.#fast.update(input);
    const slow = this.#slow.update(input);
    // Feeding NaN into the signal EMA would poison it, so it starts with the first line value.
    if (slow === slow) {
      this.#line = fast - slow;
      this.#signalValue = this.#signal.update(this.#line);
    }
    return this.#line;
  }
}
