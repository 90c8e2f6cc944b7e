/**
 * Longer-timeframe candles from shorter ones, without lookahead: a target candle is handed out
 * only once its bucket has closed, as of the close of the base candle just fed in.
 */
import { closeTime, floorTime, isAligned } from "../core/boundaries.ts";
import { isFixedLength, type Timeframe, timeframeMs } from "../core/timeframe.ts";
import type { Candle } from "../core/types.ts";
import { countBetween } from "./expected_open_times.ts";

const DAY_MS = 86_400_000;

/** Why `base` candles cannot be resampled to `target`, or null when they can. */
export function resampleProblem(base: Timeframe, target: Timeframe): string | null {
  const baseMs = timeframeMs(base);
  if (!isFixedLength(base) || timeframeMs(target) <= baseMs) {
    return `${target} is not longer than ${base}`;
  }
  // Months open at 00:00 UTC on the 1st: on a base boundary when the base divides a day.
  const spanMs = isFixedLength(target) ? timeframeMs(target) : DAY_MS;
  if (spanMs % baseMs !== 0 || !isAligned(floorTime(0, target), base)) {
    return `${target} candles do not open on ${base} candle boundaries`;
  }
  return null;
}

/** Closed target candles in order, and how many of them missed some of their base candles. */
export interface ResampledCandles {
  readonly candles: Candle[];
  readonly incomplete: number;
}

interface Bucket {
  readonly openTimeMs: number;
  readonly closeTimeMs: number;
  readonly open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  seen: number;
}

type OnClose = (candle: Candle, complete: boolean) => void;

/** Groups base candles into target buckets and reports each bucket once, when it closes. */
class BucketStream {
  readonly #base: Timeframe;
  readonly #target: Timeframe;
  readonly #baseMs: number;
  readonly #onClose: OnClose;
  #bucket: Bucket | null = null;
  #previousMs = -Infinity;

  constructor(base: Timeframe, target: Timeframe, onClose: OnClose) {
    const problem = resampleProblem(base, target);
    if (problem !== null) {
      throw new RangeError(`Cannot resample ${base} candles to ${target}: ${problem}`);
    }
    this.#base = base;
    this.#target = target;
    this.#baseMs = timeframeMs(base);
    this.#onClose = onClose;
  }

  push(candle: Candle): void {
    const openMs = candle.openTimeMs;
    this.#checkTime(openMs);
    let bucket = this.#bucket;
    // A gap left the pending bucket short; a candle of a later bucket closes it.
    if (bucket !== null && openMs >= bucket.closeTimeMs) {
      this.#close(bucket);
      bucket = null;
    }
    if (bucket === null) {
      const bucketOpenMs = floorTime(openMs, this.#target);
      bucket = this.#bucket = {
        openTimeMs: bucketOpenMs,
        closeTimeMs: closeTime(bucketOpenMs, this.#target),
        open: candle.open,
        high: candle.high,
        low: candle.low,
        close: candle.close,
        volume: candle.volume,
        seen: 1,
      };
    } else {
      bucket.high = Math.max(bucket.high, candle.high);
      bucket.low = Math.min(bucket.low, candle.low);
      bucket.close = candle.close;
      bucket.volume += candle.volume;
      bucket.seen++;
    }
    if (openMs + this.#baseMs >= bucket.closeTimeMs) this.#close(bucket);
  }

  #checkTime(openMs: number): void {
    if (!isAligned(openMs, this.#base)) {
      throw new RangeError(
        `Cannot resample the candle opening at ${openMs}: not a ${this.#base} open time`,
      );
    }
    const previousMs = this.#previousMs;
    if (openMs <= previousMs) {
      throw new RangeError(
        `Cannot resample the candle opening at ${openMs}: not after the previous (${previousMs})`,
      );
    }
    this.#previousMs = openMs;
  }

  #close(bucket: Bucket): void {
    const { openTimeMs, closeTimeMs, open, high, low, close, volume } = bucket;
    const expected = countBetween(openTimeMs, closeTimeMs - 1, this.#base);
    this.#bucket = null;
    this.#onClose(
      Object.freeze({ openTimeMs, open, high, low, close, volume }),
      bucket.seen === expected,
    );
  }
}

/**
 * Turns base candles, fed oldest first (gaps allowed), into the last closed target candle.
 * Never returns a candle whose bucket closes after the fed candle does.
 */
export class CandleAggregator {
  readonly #stream: BucketStream;
  #last: Candle | null = null;

  /** Throws a one-line `RangeError` unless every target boundary is a base boundary. */
  constructor(baseTimeframe: Timeframe, targetTimeframe: Timeframe) {
    this.#stream = new BucketStream(baseTimeframe, targetTimeframe, (candle) => {
      this.#last = candle;
    });
  }

  /**
   * Feeds one base candle; returns the last target candle closed by its close time, or null
   * before the first closes. The same frozen object comes back until a newer one closes.
   */
  update(candle: Candle): Candle | null {
    this.#stream.push(candle);
    return this.#last;
  }
}

/** Every target candle closed by the last base candle's close; an open last bucket is dropped. */
export function resampleCandles(
  candles: Iterable<Candle>,
  base: Timeframe,
  target: Timeframe,
): ResampledCandles {
  const closed: Candle[] = [];
  let incomplete = 0;
  const stream = new BucketStream(base, target, (candle, complete) => {
    closed.push(candle);
    if (!complete) incomplete++;
  });
  for (const candle of candles) stream.push(candle);
  return { candles: closed, incomplete };
}
