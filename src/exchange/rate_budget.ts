/**
 * The host-wide request budget: every CCXT request first reserves its cost in a bucket shared by
 * all instances on this host (kept in the shared DB), so together they stay under the exchange's
 * limit. CCXT's own throttler only paces one instance.
 */
import type { Exchange } from "ccxt";
import { abortableDelay } from "../core/clock.ts";

/** Where the shared bucket lives; `Store.rateBudget` (the SQLite `RateBudgetRepo`) is one. */
export interface RateBudgetStore {
  /** Takes `cost` from `bucket`; returns ms to wait before sending. */
  reserve(request: {
    bucket: string;
    cost: number;
    nowMs: number;
    refillPerMs: number;
    capacity: number;
  }): number;
}

/** How a client takes part in the shared budget. */
export interface RateBudgetOptions {
  readonly store: RateBudgetStore;
  /**
   * Share of the exchange's limit that all instances on this host may use together (default 0.9,
   * headroom for the burst and for clocks). CCXT's `rateLimit` is ms per cost unit at the limit.
   */
  readonly share?: number;
  /** Burst allowed after a quiet spell, in ms of refill (default 1000). */
  readonly burstMs?: number;
  /** Bucket name (default: the exchange id, plus `:sandbox` on a testnet). */
  readonly bucket?: string;
  readonly nowMs?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Makes every request of `exchange` wait for the shared budget after CCXT's own throttle. */
export function useRateBudget(exchange: Exchange, options: RateBudgetOptions): void {
  const share = options.share ?? 0.9;
  if (!(share > 0 && share <= 1)) throw new RangeError(`rate budget share ${share} not in (0, 1]`);
  const nowMs = options.nowMs ?? Date.now;
  const sleep = options.sleep ?? abortableDelay;
  const own = exchange.throttle.bind(exchange);
  // Read at each request: the sandbox switch and tests may change them after construction.
  exchange.throttle = async (cost?: number) => {
    await own(cost);
    const refillPerMs = share / Math.max(1, exchange.rateLimit ?? 1000);
    const waitMs = options.store.reserve({
      bucket: options.bucket ?? defaultBucket(exchange),
      cost: cost ?? 1,
      nowMs: nowMs(),
      refillPerMs,
      capacity: refillPerMs * (options.burstMs ?? 1000),
    });
    if (waitMs > 0) await sleep(waitMs);
  };
}

function defaultBucket(exchange: Exchange): string {
  return exchange.isSandboxModeEnabled ? `${exchange.id}:sandbox` : exchange.id;
}
