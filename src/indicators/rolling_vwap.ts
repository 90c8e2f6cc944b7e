/** Rolling volume-weighted average of the typical price over the last `period` bars. */
import { assertPeriod, type Indicator, type VolumeBar } from "./indicator.ts";

/**
 * VWAP over a sliding window of `period` bars, typical price (high + low + close) / 3;
 * `warmup = period - 1`. A window whose volume is all zero has no weights, so it yields the
 * last typical price instead of 0/0.
 */
export class RollingVwap implements Indicator<VolumeBar> {
  /** How many inputs return `NaN` before the first value. */
  readonly warmup: number;
  readonly #period: number;
  readonly #priceVolumes: Float64Array;
  readonly #volumes: Float64Array;
  #next = 0;
  #count = 0;
  #priceVolumeSum = 0;
  #volumeSum = 0;
  /** Bars in the window with volume > 0; the running sums only mean something when > 0. */
  #tradedBars = 0;
  #value = NaN;

  constructor(period: number) {
    assertPeriod(period);
    this.#period = period;
    this.#priceVolumes = new Float64Array(period);
    this.#volumes = new Float64Array(period);
    this.warmup = period - 1;
  }

  /** The last value, `NaN` while warming up. */
  get value(): number {
    return this.#value;
  }

  /** Feeds one bar and returns the VWAP of the window. */
  update(bar: VolumeBar): number {
    const index = this.#next;
    const typical = (bar.high + bar.low + bar.close) / 3;
    const priceVolume = typical * bar.volume;
    if (this.#count < this.#period) {
      this.#count++;
    } else {
      this.#priceVolumeSum -= this.#priceVolumes[index];
      this.#volumeSum -= this.#volumes[index];
      if (this.#volumes[index] > 0) this.#tradedBars--;
    }
    const removed = this.#count === this.#period ? this.#volumes[index] : 0;
    this.#priceVolumeSum += priceVolume;
    this.#volumeSum += bar.volume;
    if (bar.volume > 0) this.#tradedBars++;
    this.#priceVolumes[index] = priceVolume;
    this.#volumes[index] = bar.volume;
    // Taking out a bar that held most of the window's volume leaves the running sums mostly
    // rounding error from it (1e4 units out, 1e-3 left): add the window up afresh then.
    if (removed > this.#volumeSum) this.#resum();
    this.#next = index + 1 === this.#period ? 0 : index + 1;
    if (this.#count === this.#period) {
      this.#value = this.#tradedBars > 0 ? this.#priceVolumeSum / this.#volumeSum : typical;
    }
    return this.#value;
  }

  #resum(): void {
    let priceVolumeSum = 0, volumeSum = 0;
    for (let i = 0; i < this.#count; i++) {
      priceVolumeSum += this.#priceVolumes[i];
      volumeSum += this.#volumes[i];
    }
    this.#priceVolumeSum = priceVolumeSum;
    this.#volumeSum = volumeSum;
  }
}
