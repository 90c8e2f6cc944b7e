/** Market data from CCXT: paged OHLCV history, and closed candles as they close (stream or poll). */
import type { Exchange } from "ccxt";
import { TransientExchangeError } from "../core/errors.ts";
import type { Clock, MarketDataFeed } from "../core/ports.ts";
import type { Candle, MarketRef } from "../core/types.ts";
import { checkCandleRow, type InvalidCandle } from "./candle_validation.ts";
import type { ExchangeClient } from "./exchange_client.ts";
import { liveCandles } from "./live_candles.ts";
import { canWatchOhlcv, OhlcvStream } from "./ohlcv_stream.ts";
import type { RetryOptions } from "./with_retry.ts";

/** One page of `fetchCandles`. */
export interface CandlePage {
  readonly candles: readonly Candle[];
  readonly invalid: readonly InvalidCandle[];
  /** Where the next page starts. */
  readonly nextSinceMs: number;
}

/** All of `fetchCandles`. */
export interface FetchCandlesResult {
  /** Closed, valid candles, ascending (empty when `collect` is false). */
  readonly candles: Candle[];
  readonly invalid: InvalidCandle[];
  readonly pages: number;
  /** Open time after the last candle seen. */
  readonly nextSinceMs: number;
}

/** Feed settings. */
export interface FeedOptions {
  readonly clock: Clock;
  /** Candles per request (default: CCXT's limit for the exchange, else 500). */
  readonly pageLimit?: number;
  /** Wait after a close before fetching, so the exchange has finalised the candle (default 2 s). */
  readonly closeDelayMs?: number;
  /** Wait when a closed candle is not there yet, or after a transient failure (default 5 s). */
  readonly pollRetryMs?: number;
  readonly retry?: RetryOptions;
  /** False forces polling; otherwise `candles()` streams where CCXT has `watchOHLCV` (default). */
  readonly stream?: boolean;
  /** Stream reconnects: first delay (default 1 s), doubling up to `capMs` (default 60 s). */
  readonly reconnect?: { readonly baseDelayMs?: number; readonly capMs?: number };
  /** `candles()`: a one-line failure of a poll or the stream (retried), null at the next candle. */
  readonly onTrouble?: (message: string | null) => void;
}

/** CCXT's OHLCV page limit for `exchange`, else 500. */
export function ohlcvPageLimit(exchange: Exchange): number {
  const features = exchange.features as Record<
    string,
    { fetchOHLCV?: { limit?: number } } | undefined
  >;
  return features?.spot?.fetchOHLCV?.limit ?? 500;
}

/** `MarketDataFeed` over CCXT; only closed candles ever leave it. */
export class CcxtMarketDataFeed implements MarketDataFeed {
  readonly pageLimit: number;
  readonly timeframeMs: number;
  readonly #client: ExchangeClient;
  readonly #market: MarketRef;
  readonly #options: FeedOptions;

  constructor(client: ExchangeClient, market: MarketRef, options: FeedOptions) {
    this.#client = client;
    this.#market = market;
    this.#options = options;
    this.pageLimit = options.pageLimit ?? ohlcvPageLimit(client.ccxt);
    this.timeframeMs = client.ccxt.parseTimeframe(market.timeframe) * 1000;
  }

  /** Closed candles with open time in [sinceMs, untilMs), page by page; bad rows are reported. */
  async fetchCandles(
    sinceMs: number,
    untilMs: number,
    options: {
      onPage?: (page: CandlePage) => void | Promise<void>;
      signal?: AbortSignal;
      collect?: boolean;
    } = {},
  ): Promise<FetchCandlesResult> {
    const { symbol, timeframe } = this.#market;
    const tf = this.timeframeMs;
    const lastClosedOpenMs = Math.floor(this.#options.clock.nowMs() / tf) * tf - tf;
    const endOpenMs = Math.min(untilMs - 1, lastClosedOpenMs);
    const result = {
      candles: [] as Candle[],
      invalid: [] as InvalidCandle[],
      pages: 0,
      nextSinceMs: sinceMs,
    };
    while (result.nextSinceMs <= endOpenMs) {
      options.signal?.throwIfAborted();
      const cursor = result.nextSinceMs;
      const action = `fetch ${symbol} ${timeframe} candles on ${this.#client.id}`;
      const rows = await this.#client.call(action, async (ex) => {
        const page = await ex.fetchOHLCV(symbol, timeframe, cursor, this.pageLimit);
        // A garbled body parses into rows without times; the next try may get a whole one.
        if (
          !Array.isArray(page) || page.some((r) => !Array.isArray(r) || typeof r[0] !== "number")
        ) {
          throw new TransientExchangeError(`Cannot ${action}: malformed OHLCV response`);
        }
        return page;
      }, { ...this.#options.retry, signal: options.signal });
      const page = this.#page(rows, cursor, endOpenMs);
      if (page.nextSinceMs <= cursor) break;
      result.pages++;
      result.nextSinceMs = page.nextSinceMs;
      result.invalid.push(...page.invalid);
      if (options.collect !== false) result.candles.push(...page.candles);
      await options.onPage?.(page);
    }
    return result;
  }

  #page(rows: unknown[], cursorMs: number, endOpenMs: number): CandlePage {
    const candles: Candle[] = [];
    const invalid: InvalidCandle[] = [];
    let nextSinceMs = cursorMs;
    for (const row of rows) {
      const time = Array.isArray(row) ? row[0] : undefined;
      // Rows before the cursor were already taken; later ones are still open or past `until`.
      if (typeof time === "number" && (time < cursorMs || time > endOpenMs)) continue;
      const check = checkCandleRow(row, this.#market.timeframe, this.timeframeMs);
      if ("candle" in check && check.candle.openTimeMs >= nextSinceMs) {
        candles.push(check.candle);
        nextSinceMs = check.candle.openTimeMs + this.timeframeMs;
        continue;
      }
      const bad = "invalid" in check ? check.invalid : { row, reason: "out of order or duplicate" };
      invalid.push(bad);
      if (typeof time === "number" && Number.isFinite(time)) {
        nextSinceMs = Math.max(nextSinceMs, time + this.timeframeMs);
      }
      this.#client.logger.warn("Invalid candle from {exchange} {symbol} {timeframe}: {reason}", {
        exchange: this.#client.id,
        symbol: this.#market.symbol,
        timeframe: this.#market.timeframe,
        reason: bad.reason,
        row: JSON.stringify(row),
      });
    }
    return { candles, invalid, nextSinceMs };
  }

  /** True when `candles()` streams (CCXT Pro `watchOHLCV`) rather than only polling. */
  get streams(): boolean {
    return this.#options.stream !== false && canWatchOhlcv(this.#client);
  }

  /**
   * Closed candles from `sinceMs`, then each new one as it closes, until aborted: from the kline
   * stream where there is one (REST fills what it missed), else polled just after each close.
   */
  candles(sinceMs: number, signal?: AbortSignal): AsyncIterable<Candle> {
    const options = this.#options;
    return liveCandles(
      {
        client: this.#client,
        market: this.#market,
        timeframeMs: this.timeframeMs,
        clock: options.clock,
        closeDelayMs: options.closeDelayMs ?? 2_000,
        pollRetryMs: options.pollRetryMs ?? 5_000,
        stream: this.streams ? new OhlcvStream(this.#client, this.#market) : null,
        reconnect: {
          baseDelayMs: options.reconnect?.baseDelayMs ?? 1_000,
          capMs: options.reconnect?.capMs ?? 60_000,
        },
        onTrouble: options.onTrouble,
        fill: (cursorMs, fillSignal) =>
          this.fetchCandles(cursorMs, Infinity, { signal: fillSignal }),
      },
      sinceMs,
      signal,
    );
  }
}

/** Closed candles of `market` in [sinceMs, untilMs), paged; for backfills. */
export function fetchCandles(
  client: ExchangeClient,
  market: MarketRef,
  options: FeedOptions & {
    sinceMs: number;
    untilMs?: number;
    onPage?: (page: CandlePage) => void | Promise<void>;
    signal?: AbortSignal;
    collect?: boolean;
  },
): Promise<FetchCandlesResult> {
  const feed = new CcxtMarketDataFeed(client, market, options);
  return feed.fetchCandles(options.sinceMs, options.untilMs ?? Infinity, options);
}
