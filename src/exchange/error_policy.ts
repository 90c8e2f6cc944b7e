/** Maps CCXT's errors to ours: transient ones may be retried, final ones never. */
import ccxt from "ccxt";
import {
  AuthenticationError,
  ClockSkewError,
  FinalExchangeError,
  OrderRejectedError,
  TradingError,
  TransientExchangeError,
} from "../core/errors.ts";

/** Exchange error codes in a CCXT message body, e.g. Binance's `{"code":-1021,…}`. */
export function exchangeErrorCode(message: string): number | null {
  const m = /"code"\s*:\s*"?(-?\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}

/** Retry-After (seconds or an HTTP date) as ms, or null. */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const dateMs = Date.parse(value);
  return Number.isNaN(dateMs) ? null : Math.max(0, dateMs - nowMs);
}

/** Query parameters that authenticate a request; CCXT puts the signed URL in its messages. */
const SIGNED_PARAMS = /\b(signature|sign|apiKey|api_key|key|nonce)=[^&\s"']+/gi;

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").replace(SIGNED_PARAMS, "$1=***").trim();
  return flat.length > max ? flat.slice(0, max) + "…" : flat;
}

/** Context for mapping: what we tried, and the response headers CCXT kept (for Retry-After). */
export interface ErrorContext {
  readonly action: string;
  readonly responseHeaders?: Record<string, string> | null;
  readonly nowMs?: number;
}

const TRANSIENT = [
  ccxt.DDoSProtection,
  ccxt.RateLimitExceeded,
  ccxt.RequestTimeout,
  ccxt.ExchangeNotAvailable,
  ccxt.NetworkError,
  // A body that is not the JSON promised (truncated, HTML with 200): the next try may be fine.
  ccxt.BadResponse,
];

/** Our typed error for anything thrown by a CCXT call; already-typed errors pass through. */
export function toTradingError(error: unknown, context: ErrorContext): TradingError {
  if (error instanceof TradingError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const message = `Cannot ${context.action}: ${oneLine(raw)}`;
  const options = { cause: error };
  const code = exchangeErrorCode(raw);
  if (error instanceof ccxt.InvalidNonce || code === -1021) {
    return new ClockSkewError(message, options);
  }
  if (
    error instanceof ccxt.AuthenticationError || code === -1022 || code === -2015 || code === -2014
  ) {
    return new AuthenticationError(message, options);
  }
  if (error instanceof ccxt.OrderNotFound) return new FinalExchangeError(message, options);
  if (error instanceof ccxt.InsufficientFunds || error instanceof ccxt.InvalidOrder) {
    return new OrderRejectedError(message, options);
  }
  if (TRANSIENT.some((cls) => error instanceof cls)) {
    const retryAfter = context.responseHeaders?.["Retry-After"] ??
      context.responseHeaders?.["retry-after"];
    const retryAfterMs =
      error instanceof ccxt.DDoSProtection || error instanceof ccxt.RateLimitExceeded
        ? parseRetryAfter(retryAfter, context.nowMs ?? 0)
        : null;
    return new TransientExchangeError(message, { cause: error, retryAfterMs });
  }
  if (error instanceof ccxt.BaseError) return new FinalExchangeError(message, options);
  if (error instanceof TypeError) {
    // CCXT parses a garbled or cut body without checking its shape and trips over it.
    return new TransientExchangeError(
      `Cannot ${context.action}: malformed response: ${oneLine(raw)}`,
      options,
    );
  }
  return new TradingError(message, options);
}

/** True when an order create that failed this way may still have reached the exchange. */
export function isAmbiguousCreateFailure(error: TradingError): boolean {
  if (!(error instanceof TransientExchangeError) || error instanceof ClockSkewError) return false;
  const cause = error.cause;
  // A 429/418 is refused before the matching engine sees the order.
  return !(cause instanceof ccxt.DDoSProtection || cause instanceof ccxt.RateLimitExceeded);
}
