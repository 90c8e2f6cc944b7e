/**
 * Closed candles as they close: from the kline stream while it is healthy, else by polling REST
 * just after each close. Each candle leaves exactly once, in order; the open one never does.
 */
import { TransientExchangeError } from "../core/errors.ts";
import type { Clock } from "../core/ports.ts";
import type { Candle, MarketRef } from "../core/types.ts";
import { checkCandleRow } from "./candle_validation.ts";
import type { ExchangeClient } from "./exchange_client.ts";
import { type OhlcvStream, type StreamBatch } from "./ohlcv_stream.ts";

/** What the loop needs from the feed. */
export interface LiveCandleSource {
  readonly client: ExchangeClient;
  readonly market: MarketRef;
  readonly timeframeMs: number;
  readonly clock: Clock;
  /** Wait after a close before polling, so the exchange has finalised the candle. */
  readonly closeDelayMs: number;
  /** Wait when a closed candle is not there yet, or after a failed poll. */
  readonly pollRetryMs: number;
  /** Null: poll only. */
  readonly stream: OhlcvStream | null;
  /** Stream reconnects back off from `baseDelayMs`, doubling, capped at `capMs`. */
  readonly reconnect: { readonly baseDelayMs: number; readonly capMs: number };
  /** A one-line failure of a poll or the stream (then retried), and null at the next candle. */
  readonly onTrouble?: (message: string | null) => void;
  /** Closed candles from `sinceMs` by REST (pages), and where the next one starts. */
  fill(
    sinceMs: number,
    signal?: AbortSignal,
  ): Promise<{ candles: readonly Candle[]; nextSinceMs: number }>;
}

type Wake = StreamBatch | { readonly kind: "timer" } | { readonly kind: "aborted" };

/** Closed candles from `sinceMs`, then each new one as it closes, until `signal` aborts. */
export async function* liveCandles(
  source: LiveCandleSource,
  sinceMs: number,
  signal?: AbortSignal,
): AsyncGenerator<Candle> {
  const loop = new LiveLoop(source, sinceMs);
  try {
    while (!signal?.aborted) {
      if (loop.fillDue) {
        const page = await loop.fill(signal);
        if (page === null) return;
        for (const candle of page.candles) yield loop.emit(candle);
        loop.afterFill(page);
      }
      const wake = await loop.wait(signal);
      if (wake.kind === "aborted") return;
      for (const candle of loop.onWake(wake)) yield loop.emit(candle);
    }
  } finally {
    await source.stream?.close();
  }
}

class LiveLoop {
  fillDue = true;
  readonly #s: LiveCandleSource;
  /** Open time of the next candle to emit. */
  #cursorMs: number;
  /** Latest stream row per open time, at or after the cursor. */
  readonly #rows = new Map<number, unknown[]>();
  #retryAtMs: number | null = null;
  #gapFilledAtMs: number | null = null;
  #reconnectAtMs = -Infinity;
  #failures = 0;
  #streaming = false;
  #troubled = false;

  constructor(source: LiveCandleSource, sinceMs: number) {
    this.#s = source;
    this.#cursorMs = sinceMs;
  }

  emit(candle: Candle): Candle {
    this.#cursorMs = Math.max(this.#cursorMs, candle.openTimeMs + this.#s.timeframeMs);
    this.#trouble(null);
    return candle;
  }

  /** Tells the owner of a failure, and once of the first candle after one. */
  #trouble(message: string | null): void {
    if (message === null && !this.#troubled) return;
    this.#troubled = message !== null;
    this.#s.onTrouble?.(message);
  }

  /** A REST page from the cursor; empty after a transient failure (logged), null when aborted. */
  async fill(signal?: AbortSignal) {
    this.fillDue = false;
    try {
      return await this.#s.fill(this.#cursorMs, signal);
    } catch (error) {
      if (signal?.aborted) return null;
      if (!(error instanceof TransientExchangeError)) throw error;
      this.#s.client.logger.warn("Candle poll failed; retrying in {delayMs} ms: {error}", {
        delayMs: this.#s.pollRetryMs,
        error: error.message,
      });
      this.#trouble(error.message);
      return { candles: [], nextSinceMs: this.#cursorMs };
    }
  }

  afterFill(page: { candles: readonly Candle[]; nextSinceMs: number }): void {
    this.#cursorMs = Math.max(this.#cursorMs, page.nextSinceMs);
    for (const openMs of this.#rows.keys()) if (openMs < this.#cursorMs) this.#rows.delete(openMs);
    const nowMs = this.#s.clock.nowMs();
    const stalled = page.candles.length === 0 && nowMs >= this.#dueMs();
    this.#retryAtMs = stalled ? nowMs + this.#s.pollRetryMs : null;
  }

  /** Waits for stream rows, the next poll, or a reconnect, whichever comes first. */
  async wait(signal?: AbortSignal): Promise<Wake> {
    const stream = this.#s.stream;
    const clock = this.#s.clock;
    const pollAtMs = this.#retryAtMs ?? this.#dueMs();
    if (stream && !stream.active && clock.nowMs() >= this.#reconnectAtMs) stream.start();
    // Down: also wake to reconnect (the start above ran if that time had already come).
    const down = stream !== null && !stream.active;
    const wakeAtMs = down ? Math.min(pollAtMs, this.#reconnectAtMs) : pollAtMs;
    const timer = new AbortController();
    const stop = () => timer.abort(signal?.reason);
    signal?.addEventListener("abort", stop, { once: true });
    const sleep = new Promise<void>((resolve) => resolve(clock.sleepUntil(wakeAtMs, timer.signal)))
      .then((): Wake => ({ kind: "timer" }), (error): Wake => {
        if (timer.signal.aborted) return { kind: "aborted" };
        throw error;
      });
    try {
      const wake = await Promise.race(stream?.pending ? [stream.pending, sleep] : [sleep]);
      if (wake.kind === "timer" && clock.nowMs() >= pollAtMs) this.fillDue = true;
      return signal?.aborted ? { kind: "aborted" } : wake;
    } finally {
      signal?.removeEventListener("abort", stop);
      timer.abort();
    }
  }

  /** Candles the stream has shown closed; a failed stream falls back to polling. */
  onWake(wake: Wake): Candle[] {
    if (wake.kind !== "rows" && wake.kind !== "error") return [];
    this.#s.stream!.taken(wake);
    if (wake.kind === "error") {
      this.#streamFailed(wake.error);
      return [];
    }
    this.#streamUp();
    for (const row of wake.rows) {
      const openMs = row[0];
      if (typeof openMs === "number" && openMs >= this.#cursorMs) this.#rows.set(openMs, row);
    }
    const closed = this.#closedByStream();
    if (closed.length > 0) this.#retryAtMs = null;
    return closed;
  }

  /** The cursor candle is closed once a later one has opened; its last row is its final one. */
  #closedByStream(): Candle[] {
    const { market, timeframeMs } = this.#s;
    const out: Candle[] = [];
    let cursorMs = this.#cursorMs;
    while ([...this.#rows.keys()].some((openMs) => openMs > cursorMs)) {
      const row = this.#rows.get(cursorMs);
      const check = row ? checkCandleRow(row, market.timeframe, timeframeMs) : null;
      if (!check || !("candle" in check)) {
        // Missed while (re)connecting, or a bad row: a REST page fills it, or reports it.
        if (this.#gapFilledAtMs !== cursorMs) this.fillDue = true;
        this.#gapFilledAtMs = cursorMs;
        break;
      }
      out.push(check.candle);
      this.#rows.delete(cursorMs);
      cursorMs += timeframeMs;
    }
    return out;
  }

  #streamUp(): void {
    if (this.#streaming) return;
    this.#streaming = true;
    const { client, market } = this.#s;
    this.#s.client.logger.info("Streaming {symbol} {timeframe} candles from {exchange}", {
      exchange: client.id,
      symbol: market.symbol,
      timeframe: market.timeframe,
      afterFailures: this.#failures,
    });
    this.#failures = 0;
  }

  #streamFailed(error: unknown): void {
    this.#streaming = false;
    // Rows from before the cut may be stale; what was missed is filled by REST.
    this.#rows.clear();
    this.#failures++;
    const { baseDelayMs, capMs } = this.#s.reconnect;
    const delayMs = Math.min(capMs, baseDelayMs * 2 ** (this.#failures - 1));
    this.#reconnectAtMs = this.#s.clock.nowMs() + delayMs;
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ");
    this.#trouble(`Candle stream from ${this.#s.client.id} failed: ${message.slice(0, 300)}`);
    this.#s.client.logger.warn(
      "Candle stream from {exchange} failed; polling until it reconnects in {delayMs} ms: {error}",
      {
        exchange: this.#s.client.id,
        delayMs,
        attempt: this.#failures,
        error: message,
      },
    );
  }

  #dueMs(): number {
    const tf = this.#s.timeframeMs;
    return Math.floor(this.#cursorMs / tf) * tf + tf + this.#s.closeDelayMs;
  }
}
