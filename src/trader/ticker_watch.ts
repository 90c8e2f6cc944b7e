/**
 * `trade.stop_check: ticker`: between candle closes the trader polls the exchange's ticker and,
 * when the last price crosses a protective level, exits at once (`Trader.checkPrice`). Steps and
 * checks never overlap: both run through one `Serializer`.
 */
import { abortableDelay } from "../core/clock.ts";
import { TransientExchangeError } from "../core/errors.ts";
import type { Trader } from "./trader.ts";

/** A last traded price and its time (market ms). */
export interface TickerPrice {
  readonly price: number;
  readonly timeMs: number;
}

/** How the trader watches the ticker. */
export interface TickerCheck {
  /** Wall ms between polls (`trade.ticker_seconds`). */
  readonly intervalMs: number;
  /** The last price (a public request through the exchange client, retried); null when none. */
  readonly fetchPrice: () => Promise<TickerPrice | null>;
}

/** Runs async tasks one after the other, in call order. */
export type Serializer = <T>(task: () => Promise<T>) => Promise<T>;

/** A fresh serializer: each task starts when the one before it has settled. */
export function serializer(): Serializer {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Options of `watchTicker`. */
export interface WatchTickerOptions extends TickerCheck {
  readonly signal: AbortSignal;
  readonly exclusive: Serializer;
  /** After a check that changed orders (e.g. reconcile an unconfirmed sell). */
  readonly afterChange?: () => Promise<void>;
  /** True while checks must wait (the database is unreachable: no order without its row). */
  readonly paused?: () => boolean;
  /** Takes an error the loop recovers from otherwise (a lost database); true when taken. */
  readonly absorb?: (error: unknown) => boolean;
}

/** Polls until aborted; transient errors are logged and the next poll goes on; others reject. */
export async function watchTicker(trader: Trader, options: WatchTickerOptions): Promise<void> {
  const { signal } = options;
  while (!signal.aborted) {
    try {
      await abortableDelay(options.intervalMs, signal);
    } catch {
      return;
    }
    if (!trader.watchesPrice || options.paused?.()) continue;
    try {
      const tick = await options.fetchPrice();
      if (tick === null || signal.aborted) continue;
      await options.exclusive(async () => {
        const changed = await trader.checkPrice(tick.price, tick.timeMs);
        if (changed > 0) await options.afterChange?.();
      });
    } catch (error) {
      if (options.absorb?.(error)) continue;
      if (!(error instanceof TransientExchangeError)) throw error;
      trader.options.logger.warn("Ticker check failed; next poll: {error}", {
        error: error.message,
      });
    }
  }
}

/** A running ticker watch (or none) and the signal that ends the candle loop with it. */
export interface TickerWatch {
  /** Aborts with the caller's signal, or when the watch failed. */
  readonly signal: AbortSignal;
  /** Ends the watch and waits for it. */
  stop(): Promise<void>;
  /** Throws the error that ended the watch, if any. */
  rethrow(): void;
}

/** Starts `watchTicker` when `ticker` is set; a final error aborts `signal` for the loop. */
export function startTickerWatch(
  trader: Trader,
  options: Omit<WatchTickerOptions, "intervalMs" | "fetchPrice"> & { ticker?: TickerCheck | null },
): TickerWatch {
  const inner = new AbortController();
  const signal = AbortSignal.any([options.signal, inner.signal]);
  let failure: { error: unknown } | null = null;
  const running = options.ticker == null
    ? Promise.resolve()
    : watchTicker(trader, { ...options, ...options.ticker, signal }).catch((error) => {
      failure = { error };
      inner.abort(error);
    });
  return {
    signal,
    async stop() {
      inner.abort();
      await running;
    },
    rethrow() {
      if (failure !== null) throw failure.error;
    },
  };
}
