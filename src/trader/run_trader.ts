/**
 * The live loop shared by paper and live: closed candles from the feed (each just after its
 * close plus `trade.close_delay_ms`) go through `Trader.step`; a heartbeat timer writes the
 * instance row; an abort (SIGTERM, SIGINT) ends the loop after the current step. With
 * `trade.stop_check: ticker` a ticker watch checks protective levels between closes.
 *
 * A lost database (`DatabaseUnavailableError`) does not end the loop: see `database_outage.ts`
 * (no order without its row, candles held, retries with backoff, reconciliation when it is back).
 * A full SQLite disk does end it, at the next heartbeat.
 */
import { errorMessage, StorageError, TransientExchangeError } from "../core/errors.ts";
import type { MarketDataFeed } from "../core/ports.ts";
import type { Candle } from "../core/types.ts";
import { DatabaseOutage } from "./database_outage.ts";
import { serializer, startTickerWatch, type TickerCheck } from "./ticker_watch.ts";
import type { Trader } from "./trader.ts";

/** Options of `runTrader`. */
export interface RunTraderOptions {
  readonly feed: MarketDataFeed;
  /** Open time of the first candle to trade. */
  readonly sinceMs: number;
  readonly signal: AbortSignal;
  /** Wall ms between heartbeats. */
  readonly heartbeatMs: number;
  /** Reconciles after an unconfirmed send; returns how many orders are still unresolved. */
  readonly reconcile: () => Promise<number>;
  /** True when the venue asks for a reconciliation (an unconfirmed triggered sell). */
  readonly venueNeedsReconcile?: () => boolean;
  /** After each candle (live): looks at the account for orders this instance did not make. */
  readonly watchAccount?: () => Promise<void>;
  /** Ticker checks of stops and take-profits between closes (`trade.stop_check: ticker`). */
  readonly ticker?: TickerCheck | null;
  /** Operator commands, looked at once per heartbeat between steps; "stop" ends the loop. */
  readonly control?: { runPending(): Promise<"continue" | "stop"> };
  /** After each candle (tests and `--pace-ms`). */
  readonly afterCandle?: (candle: Candle) => Promise<void> | void;
}

/** Runs until the feed ends or the signal aborts; final errors propagate. */
export async function runTrader(trader: Trader, options: RunTraderOptions): Promise<void> {
  const log = trader.options.logger;
  // A full disk ends the loop at the next heartbeat, not at the next candle (maybe an hour away).
  const full = new AbortController();
  // Candle steps and ticker checks take turns; a final error of the watch ends the loop.
  const exclusive = serializer();
  const outage: DatabaseOutage = new DatabaseOutage({
    trader,
    exclusive,
    reconcile: () => reconcileIfNeeded(),
    step: (candle) => handleCandle(candle, { clearError: false }),
  });
  const beat = () => {
    // While the database is away only the outage's tries touch it.
    if (outage.down) return;
    try {
      trader.heartbeat();
    } catch (error) {
      if (outage.absorb(error)) return;
      log.warn("Heartbeat not written: {error}", { error: errorMessage(error) });
      if (isDiskFull(error) && !full.signal.aborted) {
        full.abort(
          new StorageError(
            "Cannot write to the database: it is full (no disk space, or max_page_count reached)",
            { cause: error },
          ),
        );
      }
    }
  };
  const reconcileIfNeeded = async () => {
    if (trader.manager.needsReconcile || options.venueNeedsReconcile?.()) {
      await options.reconcile().catch((error) => {
        if (!(error instanceof TransientExchangeError)) throw error;
        trader.noteError(error.message);
      });
    }
  };
  const watch = startTickerWatch(trader, {
    ticker: options.ticker,
    signal: options.signal,
    exclusive,
    afterChange: reconcileIfNeeded,
    paused: () => outage.holding,
    absorb: (error) => {
      const absorbed = outage.absorb(error);
      outage.checkManager();
      return absorbed;
    },
  });
  const commanded = new AbortController();
  let polling: Promise<void> | null = null;
  // Commands take their turn with candle steps; a slow one (exit) never overlaps a step.
  const poll = () => {
    const control = options.control;
    if (control === undefined || polling !== null || commanded.signal.aborted) return;
    if (outage.holding) return;
    polling = exclusive(async () => {
      const effect = await control.runPending();
      await reconcileIfNeeded();
      return effect;
    }).then((effect) => {
      if (effect === "stop") commanded.abort();
    }).catch((error) => {
      if (outage.absorb(error)) return;
      log.warn("Commands not carried out: {error}", { error: errorMessage(error) });
    }).finally(() => polling = null);
  };
  // Stale heartbeats of other instances and the daily summary: the timer's, not the candle path's.
  const check = () => {
    if (outage.down) return;
    try {
      trader.heartbeatChecks();
    } catch (error) {
      if (outage.absorb(error)) return;
      log.warn("Notification checks failed: {error}", { error: errorMessage(error) });
    }
  };
  const timer = setInterval(() => {
    beat();
    check();
    poll();
  }, options.heartbeatMs);
  /** One candle through the trader, then reconciliation and the account watch if due. */
  async function handleCandle(candle: Candle, at: { clearError: boolean }): Promise<void> {
    try {
      await trader.step(candle);
      if (at.clearError) trader.clearError();
    } catch (error) {
      if (!(error instanceof TransientExchangeError)) throw error;
      trader.noteError(error.message);
      log.warn("Step for candle {time} failed; continuing: {error}", {
        time: new Date(candle.openTimeMs).toISOString(),
        error: error.message,
      });
    }
    outage.checkManager();
    if (outage.down) return;
    await reconcileIfNeeded();
    await options.watchAccount?.();
  }
  const signal = AbortSignal.any([watch.signal, full.signal, commanded.signal, outage.failed]);
  try {
    for await (const candle of options.feed.candles(options.sinceMs, signal)) {
      if (outage.holding) {
        outage.hold(candle);
      } else {
        await exclusive(async () => {
          try {
            await handleCandle(candle, { clearError: true });
          } catch (error) {
            // The kernel has taken the candle; what could not be written waits for the database.
            if (!outage.absorb(error)) throw error;
          }
        });
        beat();
      }
      await options.afterCandle?.(candle);
      if (signal.aborted) break;
    }
  } finally {
    clearInterval(timer);
    await polling;
    await watch.stop();
    await outage.stop();
  }
  if (full.signal.aborted) throw full.signal.reason;
  if (outage.failed.aborted) throw outage.failed.reason;
  watch.rethrow();
}

/** SQLITE_FULL: `node:sqlite` gives no errcode for a failed COMMIT, only the message. */
function isDiskFull(error: unknown): boolean {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode === "number" && (errcode & 0xff) === 13) return true;
  return /database or disk is full|database: it is full/.test(errorMessage(error));
}
