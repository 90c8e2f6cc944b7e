/**
 * TEST ONLY: a clock that follows the loopback emulator's market time through its control API,
 * so a paper trader can be stepped candle by candle (`--test-clock=emulator:URL`). The trade task
 * refuses it in live mode. `nowMs` is synchronous, so it serves the value of the last poll.
 */
import { abortableDelay } from "../core/clock.ts";
import type { Clock } from "../core/ports.ts";

const POLL_MS = 50;

/** Market time of an emulator at `baseUrl`. */
export class EmulatorMarketClock implements Clock {
  readonly #stateUrl: string;
  #nowMs = 0;

  private constructor(baseUrl: string) {
    this.#stateUrl = `${baseUrl.replace(/\/$/, "")}/__control/state`;
  }

  /** Connects and reads the current market time once. */
  static async connect(baseUrl: string): Promise<EmulatorMarketClock> {
    const clock = new EmulatorMarketClock(baseUrl);
    await clock.refresh();
    return clock;
  }

  /** Reads the emulator's market time now. */
  async refresh(): Promise<number> {
    const response = await fetch(this.#stateUrl, { method: "POST", body: "{}" });
    const body = await response.json() as { result?: { marketTimeMs?: number } };
    const timeMs = body.result?.marketTimeMs;
    if (typeof timeMs === "number" && timeMs > this.#nowMs) this.#nowMs = timeMs;
    return this.#nowMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  async sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      try {
        if (await this.refresh() >= timeMs) return;
      } catch {
        // the emulator is restarting or gone: keep waiting until aborted
      }
      await abortableDelay(POLL_MS, signal);
    }
  }
}

/** Parses `emulator:URL`; null for anything else. */
export function parseTestClock(spec: string): string | null {
  const match = /^emulator:(https?:\/\/.+)$/.exec(spec);
  return match ? match[1] : null;
}
