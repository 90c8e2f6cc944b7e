/** The uniform shape of every streaming indicator. */

/**
 * A streaming indicator: `update` takes one input, costs O(1) and returns the newest value.
 * Values are `NaN` until warmed up: exactly `warmup` inputs return `NaN`, so the first value
 * comes from input number `warmup + 1` (0-based index `warmup`).
 */
export interface Indicator<I> {
  /** How many inputs return `NaN` before the first value. */
  readonly warmup: number;
  /** The value returned by the last `update`, `NaN` before warm-up ends. */
  readonly value: number;
  /** Feeds one input and returns the new value (`NaN` while warming up). */
  update(input: I): number;
}

/** The price fields that range-based indicators read; a `Candle` satisfies it. */
export interface Bar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** A `Bar` with volume, for volume-weighted indicators; a `Candle` satisfies it. */
export interface VolumeBar extends Bar {
  readonly volume: number;
}

/** Throws unless `period` is an integer ≥ `min`; a bad period is a programming error. */
export function assertPeriod(period: number, name = "period", min = 1): void {
  if (!Number.isInteger(period) || period < min) {
    throw new RangeError(
      `Cannot create indicator: ${name} must be an integer >= ${min} (got ${period})`,
    );
  }
}
