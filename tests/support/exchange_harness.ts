/** Helpers for exchange tests: a real CCXT client wired to an emulator, and clocks that follow it. */
import type { Clock } from "../../src/core/ports.ts";
import {
  createExchange,
  type ExchangeClient,
  type ExchangeLogger,
  type RetryOptions,
} from "../../src/exchange/mod.ts";
import { type BinanceEmulator, EMULATOR_API_KEY, EMULATOR_API_SECRET } from "./binance_emulator.ts";

/** A logger that keeps every line, for asserting what was logged. */
export class RecordingLogger implements ExchangeLogger {
  readonly lines: { level: string; message: string; properties?: Record<string, unknown> }[] = [];
  debug(message: string, properties?: Record<string, unknown>) {
    this.lines.push({ level: "debug", message, properties });
  }
  info(message: string, properties?: Record<string, unknown>) {
    this.lines.push({ level: "info", message, properties });
  }
  warn(message: string, properties?: Record<string, unknown>) {
    this.lines.push({ level: "warn", message, properties });
  }
  error(message: string, properties?: Record<string, unknown>) {
    this.lines.push({ level: "error", message, properties });
  }
  /** Lines at `level`. */
  at(level: string) {
    return this.lines.filter((l) => l.level === level);
  }
}

/** How to connect a client to the emulator. */
export interface EmulatorClientOptions {
  /** True: the emulator's default keys; an object: these keys; absent: no credentials (paper). */
  readonly keys?: boolean | { apiKey: string; secret: string };
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  readonly logger?: ExchangeLogger;
}

/** A real CCXT binance client whose API URLs point at the emulator. */
export function emulatorClient(
  emulator: BinanceEmulator,
  options: EmulatorClientOptions = {},
): ExchangeClient {
  const keys = options.keys === true
    ? { apiKey: EMULATOR_API_KEY, secret: EMULATOR_API_SECRET }
    : options.keys;
  return createExchange("binance", {
    apiUrl: emulator.url,
    credentials: keys || null,
    // Generous: a loaded CI machine can take seconds to answer; timeout tests set their own.
    timeoutMs: options.timeoutMs ?? 10_000,
    logger: options.logger ?? new RecordingLogger(),
    // Fast retries; tests that check delays inject their own sleep.
    retry: { baseDelayMs: 1, capMs: 5, ...options.retry },
  });
}

/** A clock that reads the emulator's market time; sleeping moves the emulator forward. */
export function followingClock(emulator: BinanceEmulator): Clock {
  return {
    nowMs: () => emulator.clock.nowMs(),
    sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
      signal?.throwIfAborted();
      if (timeMs > emulator.clock.nowMs()) emulator.clock.set(timeMs);
      return Promise.resolve();
    },
  };
}

/** Records sleeps instead of sleeping. */
export function recordingSleep(): { delays: number[]; sleep: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return { delays, sleep: (ms: number) => (delays.push(ms), Promise.resolve()) };
}
