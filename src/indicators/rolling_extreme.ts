/** Rolling maximum and minimum over a monotonic deque: amortised O(1) per input. */
import { assertPeriod, type Indicator } from "./indicator.ts";

/** Keeps candidates in a ring buffer; `sign` = 1 tracks the maximum, -1 the minimum. */
class MonotonicWindow {
  readonly warmup: number;
  readonly #period: number;
  readonly #sign: number;
  readonly #capacity: number;
  readonly #values: Float64Array;
  readonly #indices: Float64Array;
  #head = 0;
  #size = 0;
  #count = 0;
  #value = NaN;

  constructor(period: number, sign: number) {
    assertPeriod(period);
    this.#period = period;
    this.#sign = sign;
    // The deque holds indices in [t - period, t] until the expiry check: period + 1 slots.
    this.#capacity = period + 1;
    this.#values = new Float64Array(this.#capacity);
    this.#indices = new Float64Array(this.#capacity);
    this.warmup = period - 1;
  }

  get value(): number {
    return this.#value;
  }

  update(input: number): number {
    const capacity = this.#capacity, values = this.#values, sign = this.#sign;
    const index = this.#count++;
    let size = this.#size;
    let back = this.#head + size - 1;
    if (back >= capacity) back -= capacity;
    while (size > 0 && sign * values[back] <= sign * input) {
      size--;
      back = back === 0 ? capacity - 1 : back - 1;
    }
    let slot = back + 1 === capacity ? 0 : back + 1;
    if (size === 0) slot = this.#head;
    values[slot] = input;
    this.#indices[slot] = index;
    size++;
    if (this.#indices[this.#head] <= index - this.#period) {
      this.#head = this.#head + 1 === capacity ? 0 : this.#head + 1;
      size--;
    }
    this.#size = size;
    if (index >= this.warmup) this.#value = values[this.#head];
    return this.#value;
  }
}

/** Highest of the last `period` inputs; `warmup = period - 1`. */
export class RollingMax implements Indicator<number> {
  readonly #window: MonotonicWindow;
  /** How many inputs return `NaN` before the first value. */
  readonly warmup: number;

  constructor(period: number) {
    this.#window = new MonotonicWindow(period, 1);
    this.warmup = period - 1;
  }

  /** The last value, `NaN` while warming up. */
  get value(): number {
    return this.#window.value;
  }

  /** Feeds one input and returns the maximum of the last `period` inputs. */
  update(input: number): number {
    return this.#window.update(input);
  }
}

/** Lowest of the last `period` inputs; `warmup = period - 1`. */
export class RollingMin implements Indicator<number> {
  readonly #window: MonotonicWindow;
  /** How many inputs return `NaN` before the first value. */
  readonly warmup: number;

  constructor(period: number) {
    this.#window = new MonotonicWindow(period, -1);
    this.warmup = period - 1;
  }

  /** The last value, `NaN` while warming up. */
  get value(): number {
    return this.#window.value;
  }

  /** Feeds one input and returns the minimum of the last `period` inputs. */
  update(input: number): number {
    return this.#window.update(input);
  }
}
