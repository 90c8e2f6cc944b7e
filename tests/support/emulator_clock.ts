/** The emulator's market clock: set, advanced candle by candle, or running at a time factor. */

/** Binance kline intervals the emulator serves, in milliseconds (1M is not served). */
export const INTERVAL_MS: Readonly<Record<string, number>> = {
  "1s": 1_000,
  "1m": 60_000,
  "3m": 180_000,
  "5m": 300_000,
  "15m": 900_000,
  "30m": 1_800_000,
  "1h": 3_600_000,
  "2h": 7_200_000,
  "4h": 14_400_000,
  "6h": 21_600_000,
  "8h": 28_800_000,
  "12h": 43_200_000,
  "1d": 86_400_000,
  "3d": 259_200_000,
  "1w": 604_800_000,
};

/** Milliseconds of a Binance interval, or null when the emulator does not serve it. */
export function intervalMs(interval: string): number | null {
  return INTERVAL_MS[interval] ?? null;
}

/** Market time: frozen unless set, advanced, or given a speed (market ms per wall ms). */
export class EmulatorClock {
  #anchorMs: number;
  #anchorWallMs: number;
  #speed: number;
  #wallNowMs: () => number;

  constructor(startMs: number, options: { speed?: number; wallNowMs?: () => number } = {}) {
    this.#wallNowMs = options.wallNowMs ?? (() => Date.now());
    this.#anchorMs = startMs;
    this.#anchorWallMs = this.#wallNowMs();
    this.#speed = options.speed ?? 0;
  }

  /** Current market time in epoch ms. */
  nowMs(): number {
    const elapsedWallMs = this.#wallNowMs() - this.#anchorWallMs;
    return Math.floor(this.#anchorMs + elapsedWallMs * this.#speed);
  }

  /** Market ms that pass per wall ms; 0 freezes the clock. */
  get speed(): number {
    return this.#speed;
  }

  /** Jumps to `timeMs` (backwards is allowed, for tests). */
  set(timeMs: number): void {
    this.#anchorMs = timeMs;
    this.#anchorWallMs = this.#wallNowMs();
  }

  /** Moves forward by `ms`. */
  advance(ms: number): void {
    this.set(this.nowMs() + ms);
  }

  /** Moves to the `count`-th next boundary of `timeframeMs`, so that many candles close. */
  advanceCandles(count: number, timeframeMs: number): void {
    const boundaryMs = Math.floor(this.nowMs() / timeframeMs) * timeframeMs;
    this.set(boundaryMs + count * timeframeMs);
  }

  /** Runs market time at `speed` × wall time from now on. */
  setSpeed(speed: number): void {
    this.set(this.nowMs());
    this.#speed = speed;
  }
}
