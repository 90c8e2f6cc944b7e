/** One market's kline stream through CCXT Pro's `watchOHLCV`, one watch in flight at a time. */
import type { Exchange } from "ccxt";
import type { MarketRef } from "../core/types.ts";
import type { ExchangeClient } from "./exchange_client.ts";

/** What a watch ended with: rows (copies; the open candle included) or the error that ended it. */
export type StreamBatch =
  | { readonly kind: "rows"; readonly rows: readonly unknown[][] }
  | { readonly kind: "error"; readonly error: unknown };

type Watcher = Exchange & {
  watchOHLCV?: (symbol: string, timeframe: string) => Promise<unknown[]>;
};

/** True when CCXT can stream `client`'s candles (`has.watchOHLCV` on its Pro class). */
export function canWatchOhlcv(client: ExchangeClient): boolean {
  const exchange = client.ccxt as Watcher;
  return exchange.has?.watchOHLCV === true && typeof exchange.watchOHLCV === "function";
}

/**
 * Keeps one `watchOHLCV` in flight: `pending` is the same promise until `taken`, so a caller can
 * race it against a timer without losing a batch. After rows the next watch is armed at once, so a
 * dropped connection always rejects a waiting watch and is noticed.
 */
export class OhlcvStream {
  readonly #exchange: Watcher;
  readonly #market: MarketRef;
  #pending: Promise<StreamBatch> | null = null;

  constructor(client: ExchangeClient, market: MarketRef) {
    this.#exchange = client.ccxt as Watcher;
    this.#market = market;
    // Reconnects back off on the injected clock (the feed's loop); CCXT's own wall-clock redial
    // backoff would stack on top of it and stall a feed whose clock is simulated.
    const ws = (this.#exchange.options.ws ?? {}) as Record<string, unknown>;
    this.#exchange.options.ws = { ...ws, backoff: { ...(ws.backoff ?? {}), base: 0 } };
  }

  /** True while a watch is in flight (connecting, subscribed, or settled but not taken). */
  get active(): boolean {
    return this.#pending !== null;
  }

  /** The batch in flight; null when the stream is down. */
  get pending(): Promise<StreamBatch> | null {
    return this.#pending;
  }

  /** Opens (or reopens) the stream; CCXT connects and subscribes on the first watch. */
  start(): void {
    this.#pending ??= this.#watch();
  }

  /** Marks `batch` as handled: after rows the next watch starts, after an error none does. */
  taken(batch: StreamBatch): void {
    this.#pending = batch.kind === "rows" ? this.#watch() : null;
  }

  /** Closes the exchange's stream connections; the watch in flight ends quietly. */
  async close(): Promise<void> {
    this.#pending = null;
    try {
      await this.#exchange.close();
    } catch {
      // Closing is best effort: the socket may already be gone.
    }
  }

  #watch(): Promise<StreamBatch> {
    const { symbol, timeframe } = this.#market;
    return this.#exchange.watchOHLCV!(symbol, timeframe).then(
      // CCXT hands out references into its cache, which later updates mutate.
      (rows): StreamBatch => ({
        kind: "rows",
        rows: rows.map((row) => Array.isArray(row) ? [...row] : [row]),
      }),
      (error: unknown): StreamBatch => ({ kind: "error", error }),
    );
  }
}
