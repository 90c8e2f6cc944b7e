/**
 * A lost database connection is not a crash: the trader keeps its state in memory, sends no order
 * whose row it cannot write first (the order manager hands such an order back `rejected`), and
 * tries the database again with backoff (0.5 s doubling to 15 s). While it is unreachable:
 *
 * - each change of the error is logged as a warning and kept as the trader's last error;
 * - heartbeats, operator commands and notification checks wait (the timer does not touch it);
 * - a candle that closes is held in memory, not traded: its orders could not be written first.
 *
 * When a try succeeds, the order updates kept meanwhile are stored, a heartbeat writes the story
 * (how long, why) as the instance's last error, the orders are reconciled with the exchange (a
 * fill, or a send whose COMMIT was lost, may have happened around the drop; a row is looked up by
 * client id, never sent again), and the held candles are traded in order. Entries from candles
 * older than `maxEntryAgeMs` are refused as for any late candle. The story stays until the next
 * candle handled on time clears it.
 */
import { abortableDelay } from "../core/clock.ts";
import { DatabaseUnavailableError, errorMessage } from "../core/errors.ts";
import type { Candle } from "../core/types.ts";
import type { Serializer } from "./ticker_watch.ts";
import type { Trader } from "./trader.ts";

/** First wait before trying the database again. */
export const OUTAGE_FIRST_RETRY_MS = 500;
/** Longest wait between tries. */
export const OUTAGE_MAX_RETRY_MS = 15_000;
/** Candles held at most; older ones are dropped with a warning (a day of 1m candles is 1,440). */
const MAX_HELD_CANDLES = 2_000;

/** Options of a `DatabaseOutage`. */
export interface DatabaseOutageOptions {
  readonly trader: Trader;
  /** The loop's serializer: a try runs between candle steps and ticker checks, never inside. */
  readonly exclusive: Serializer;
  /** Reconciles the orders with the venue (the database is back). */
  readonly reconcile: () => Promise<void>;
  /** Trades one held candle (without clearing the last error). */
  readonly step: (candle: Candle) => Promise<void>;
  readonly firstRetryMs?: number;
  readonly maxRetryMs?: number;
  /** Wall time, for the story (default `Date.now`). */
  readonly nowMs?: () => number;
}

interface Down {
  readonly sinceMs: number;
  error: string;
  attempts: number;
}

/** The outage state of one run: absorbs database errors and retries until the server is back. */
export class DatabaseOutage {
  readonly #options: DatabaseOutageOptions;
  readonly #stop = new AbortController();
  readonly #failed = new AbortController();
  #down: Down | null = null;
  #held: Candle[] = [];
  #retrying: Promise<void> | null = null;

  constructor(options: DatabaseOutageOptions) {
    this.#options = options;
  }

  /** Aborted (with the error) when a try failed for another reason than the database. */
  get failed(): AbortSignal {
    return this.#failed.signal;
  }

  /** True while the database is unreachable. */
  get down(): boolean {
    return this.#down !== null;
  }

  /** True while candles must wait: the database is down, or held candles are not traded yet. */
  get holding(): boolean {
    return this.#down !== null || this.#held.length > 0;
  }

  /**
   * Takes `error` when it says the database is unreachable (starting the retries), and returns
   * true; any other error is left to the caller (false).
   */
  absorb(error: unknown): boolean {
    if (!(error instanceof DatabaseUnavailableError)) return false;
    const { trader } = this.#options;
    const log = trader.options.logger;
    const message = errorMessage(error);
    const down = this.#down;
    if (down === null) {
      this.#down = { sinceMs: this.#now(), error: message, attempts: 0 };
      log.warn(
        "Database unreachable; no order is sent until it is back (next try in {ms} ms, backing " +
          "off to {max} ms): {error}",
        { ms: this.#firstMs, max: this.#maxMs, error: message },
      );
      trader.noteError(`Database unreachable: ${message}`);
      this.#ensureRetrying();
    } else if (message !== down.error) {
      down.error = message;
      log.warn("Database still unreachable after {attempts} tries ({seconds} s): {error}", {
        attempts: down.attempts,
        seconds: this.#seconds(down),
        error: message,
      });
      trader.noteError(`Database unreachable: ${message}`);
    }
    return true;
  }

  /** Order updates the manager could not store mean the database went away. */
  checkManager(): void {
    if (this.#down !== null || this.#options.trader.manager.unrecordedCount === 0) return;
    this.absorb(new DatabaseUnavailableError("Cannot store order updates: the database is gone"));
  }

  /** Keeps a candle that closed while the database was down (or while earlier ones wait). */
  hold(candle: Candle): void {
    this.#held.push(candle);
    if (this.#held.length > MAX_HELD_CANDLES) this.#held.shift();
    this.#options.trader.options.logger.warn(
      "Candle {time} closed while the database is unreachable; held until it is back",
      { time: new Date(candle.openTimeMs).toISOString() },
    );
  }

  /** Ends the retries and waits for the one under way. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#retrying;
  }

  get #firstMs(): number {
    return this.#options.firstRetryMs ?? OUTAGE_FIRST_RETRY_MS;
  }

  get #maxMs(): number {
    return this.#options.maxRetryMs ?? OUTAGE_MAX_RETRY_MS;
  }

  #now(): number {
    return (this.#options.nowMs ?? Date.now)();
  }

  #seconds(down: Down): number {
    return Math.round((this.#now() - down.sinceMs) / 100) / 10;
  }

  #ensureRetrying(): void {
    if (this.#retrying !== null || this.#stop.signal.aborted) return;
    this.#retrying = this.#retry().finally(() => {
      this.#retrying = null;
      if (this.#down !== null && !this.#failed.signal.aborted) this.#ensureRetrying();
    });
  }

  async #retry(): Promise<void> {
    let delayMs = this.#firstMs;
    while (this.#down !== null && !this.#stop.signal.aborted) {
      try {
        await abortableDelay(delayMs, this.#stop.signal);
      } catch {
        return;
      }
      delayMs = Math.min(delayMs * 2, this.#maxMs);
      try {
        await this.#options.exclusive(() => this.#reconnect());
      } catch (error) {
        if (this.absorb(error)) continue;
        this.#failed.abort(error);
        return;
      }
    }
  }

  /** One try: store what waited, show the story, reconcile, trade the held candles. */
  async #reconnect(): Promise<void> {
    const down = this.#down;
    if (down === null) return;
    down.attempts++;
    const { trader } = this.#options;
    const seconds = this.#seconds(down);
    const story = `Database unreachable for ${seconds} s from ` +
      `${new Date(down.sinceMs).toISOString()} (${down.error}); back after ${down.attempts} ` +
      "tries; orders reconciled with the exchange next";
    trader.databaseBack(story);
    this.#down = null;
    trader.options.logger.warn(
      "Database back after {seconds} s ({attempts} tries); reconciling orders with the exchange",
      { seconds, attempts: down.attempts },
    );
    trader.manager.needsReconcile = true;
    await this.#options.reconcile();
    while (this.#held.length > 0 && this.#down === null) {
      const candle = this.#held.shift()!;
      trader.options.logger.info("Trading candle {time}, held while the database was away", {
        time: new Date(candle.openTimeMs).toISOString(),
      });
      await this.#options.step(candle);
      this.checkManager();
    }
  }
}
