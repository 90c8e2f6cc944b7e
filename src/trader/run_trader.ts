/**
 * The live loop shared by paper and live: closed candles from the feed (each just after its
 * close plus `trade.close_delay_ms`) go through `Trader.step`; a heartbeat timer writes the
 * instance row; an abort (SIGTERM, SIGINT) ends the loop after the current step. With
 * `trade.stop_check: ticker` a ticker watch checks protective levels between closes.
 */
import { errorMessage, TransientExchangeError } from "../core/errors.ts";
import type { MarketDataFeed } from "../core/ports.ts";
import type { Candle } from "../core/types.ts";
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
  /** Ticker checks of stops and take-profits between closes (`trade.stop_check: ticker`). */
  readonly ticker?: TickerCheck | null;
  /** After each candle (tests and `--pace-ms`). */
  readonly afterCandle?: (candle: Candle) => Promise<void> | void;
}

/** Runs until the feed ends or the signal aborts; final errors propagate. */
export async function runTrader(trader: Trader, options: RunTraderOptions): Promise<void> {
  const log = trader.options.logger;
  const beat = () => {
    try {
      trader.heartbeat();
    } catch (error) {
      log.warn("Heartbeat not written: {error}", { error: errorMessage(error) });
    }
  };
  const timer = setInterval(beat, options.heartbeatMs);
  const reconcileIfNeeded = async () => {
    if (trader.manager.needsReconcile || options.venueNeedsReconcile?.()) {
      await options.reconcile().catch((error) => {
        if (!(error instanceof TransientExchangeError)) throw error;
        trader.lastError = error.message;
      });
    }
  };
  // Candle steps and ticker checks take turns; a final error of the watch ends the loop.
  const exclusive = serializer();
  const watch = startTickerWatch(trader, {
    ticker: options.ticker,
    signal: options.signal,
    exclusive,
    afterChange: reconcileIfNeeded,
  });
  try {
    for await (const candle of options.feed.candles(options.sinceMs, watch.signal)) {
      await exclusive(async () => {
        try {
          await trader.step(candle);
          trader.lastError = null;
        } catch (error) {
          if (!(error instanceof TransientExchangeError)) throw error;
          trader.lastError = error.message;
          log.warn("Step for candle {time} failed; continuing: {error}", {
            time: new Date(candle.openTimeMs).toISOString(),
            error: error.message,
          });
        }
        await reconcileIfNeeded();
      });
      beat();
      await options.afterCandle?.(candle);
      if (watch.signal.aborted) break;
    }
  } finally {
    clearInterval(timer);
    await watch.stop();
  }
  watch.rethrow();
}
