/** Clocks: the wall clock for paper and live, a manual clock for backtest, replay and tests. */
import type { Clock } from "./ports.ts";

/** Real time. The only place in `src/core` that reads `Date.now()`. */
export class SystemClock implements Clock {
  nowMs(): number {
    return Date.now();
  }

  sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
    return abortableDelay(Math.max(0, timeMs - Date.now()), signal);
  }
}

/** Time that moves only when told to: candle time in backtest and replay. */
export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs: number) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  /** Moves time forward; never backwards. */
  set(timeMs: number): void {
    if (timeMs > this.#nowMs) this.#nowMs = timeMs;
  }

  sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.set(timeMs);
    return Promise.resolve();
  }
}

/** A delay that rejects with the signal's reason when aborted. */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
