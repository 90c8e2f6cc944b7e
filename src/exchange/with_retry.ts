/** Retries transient exchange errors with capped exponential backoff and jitter. */
import { abortableDelay } from "../core/clock.ts";
import { TransientExchangeError } from "../core/errors.ts";

/** One retry about to happen. */
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: TransientExchangeError;
}

/** How to retry. */
export interface RetryOptions {
  /** Attempts in total, including the first (default 5). */
  readonly maxAttempts?: number;
  /** Delay before the first retry, doubled each time (default 500 ms). */
  readonly baseDelayMs?: number;
  /** Upper bound of the backoff (default 30 s); a longer Retry-After from the exchange still wins. */
  readonly capMs?: number;
  /** Uniform [0, 1) source for jitter (default Math.random); inject a seeded one in tests. */
  readonly rng?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each retry (after logging); may be async, e.g. to resync the clock. */
  readonly onRetry?: (event: RetryEvent) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

/** Backoff before retry number `attempt` (1-based): half fixed, half jitter, capped. */
export function backoffMs(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 500;
  const cap = options.capMs ?? 30_000;
  const exponential = Math.min(cap, base * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (options.rng ?? Math.random)() * exponential / 2);
}

/** Runs `fn`, retrying only `TransientExchangeError`s; anything else is thrown at once. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep = options.sleep ?? abortableDelay;
  for (let attempt = 1;; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (!(error instanceof TransientExchangeError) || attempt >= maxAttempts) throw error;
      const delayMs = Math.max(backoffMs(attempt, options), error.retryAfterMs ?? 0);
      await options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
