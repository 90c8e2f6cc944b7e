/** Simple moving average over a ring buffer with a running sum. */
import { assertPeriod, type Indicator } from "./indicator.ts";

/** Simple moving average of the last `period` inputs; `warmup = period - 1`. */
export class Sma implements Indicator<number> {
  /** How many inputs return `NaN` before the first value. */
  readonly warmup: number;
  readonly #period: number;
  readonly #window: Float64Array;
  #next = 0;
  #count = 0;
  #sum = 0;
  #value = NaN;

  constructor(period: number) {
    assertPeriod(period);
    this.#period = period;
    this.#window = new Float64Array(period);
    this.warmup = period - 1;
  }

  /** The last value, `NaN` while warming up. */
  get value(): number {
    return this.#value;
  }

  /** Feeds one input and returns the average of the last `period` inputs. */
  update(input: number): number {
    const index = this.#next;
    if (this.#count < this.#period) {
      this.#count++;
      this.#sum += input;
    } else {
      this.#sum += input - this.#window[index];
    }
    this.#window[index] = input;
    this.#next = index + 1 === this.#period ? 0 : index + 1;
    if (this.#count === this.#period) this.#value = this.#sum / this.#period;
    return this.#value;
  }
}
