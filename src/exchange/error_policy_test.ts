import assert from "node:assert/strict";
import ccxt from "ccxt";
import {
  AuthenticationError,
  ClockSkewError,
  FinalExchangeError,
  OrderRejectedError,
  TradingError,
  TransientExchangeError,
} from "../core/errors.ts";
import { isAmbiguousCreateFailure, parseRetryAfter, toTradingError } from "./error_policy.ts";

const ctx = { action: "do it" };

Deno.test("toTradingError maps CCXT's transient errors, with Retry-After for rate limits", () => {
  for (
    const cls of [
      ccxt.NetworkError,
      ccxt.RequestTimeout,
      ccxt.ExchangeNotAvailable,
      ccxt.DDoSProtection,
      ccxt.RateLimitExceeded,
      ccxt.BadResponse,
    ]
  ) {
    const mapped = toTradingError(new cls("binance boom"), ctx);
    assert.ok(mapped instanceof TransientExchangeError, cls.name);
    assert.equal(mapped.message, "Cannot do it: binance boom");
    assert.ok(mapped.cause instanceof cls);
  }
  const limited = toTradingError(new ccxt.DDoSProtection("429"), {
    ...ctx,
    responseHeaders: { "Retry-After": "7" },
  });
  assert.equal((limited as TransientExchangeError).retryAfterMs, 7000);
});

Deno.test("toTradingError maps CCXT's final errors and never to a transient one", () => {
  const cases: [Error, new (...a: never[]) => TradingError][] = [
    [new ccxt.AuthenticationError("x"), AuthenticationError],
    [new ccxt.PermissionDenied("x"), AuthenticationError],
    [new ccxt.InsufficientFunds("x"), OrderRejectedError],
    [new ccxt.InvalidOrder("x"), OrderRejectedError],
    [new ccxt.BadSymbol("x"), FinalExchangeError],
    [new ccxt.OrderNotFound("x"), FinalExchangeError],
  ];
  for (const [error, expected] of cases) {
    const mapped = toTradingError(error, ctx);
    assert.ok(mapped instanceof expected, error.constructor.name);
    assert.ok(!(mapped instanceof TransientExchangeError));
  }
  assert.ok(!(toTradingError(new ccxt.OrderNotFound("x"), ctx) instanceof OrderRejectedError));
});

Deno.test("toTradingError reads Binance codes even where CCXT picked a generic class", () => {
  // On api.binance.com CCXT maps -1021 and -1022 to BadRequest.
  const skew = toTradingError(
    new ccxt.BadRequest('binance {"code":-1021,"msg":"Timestamp..."}'),
    ctx,
  );
  assert.ok(skew instanceof ClockSkewError);
  const auth = toTradingError(
    new ccxt.BadRequest('binance {"code":-1022,"msg":"Signature..."}'),
    ctx,
  );
  assert.ok(auth instanceof AuthenticationError);
});

Deno.test("isAmbiguousCreateFailure: timeouts and 5xx are, rate limits and skew are not", () => {
  const map = (e: Error) => toTradingError(e, ctx);
  assert.equal(isAmbiguousCreateFailure(map(new ccxt.RequestTimeout("t"))), true);
  assert.equal(isAmbiguousCreateFailure(map(new ccxt.ExchangeNotAvailable("502"))), true);
  assert.equal(isAmbiguousCreateFailure(map(new ccxt.NetworkError("cut"))), true);
  assert.equal(isAmbiguousCreateFailure(map(new ccxt.DDoSProtection("429"))), false);
  assert.equal(isAmbiguousCreateFailure(map(new ccxt.InvalidNonce("-1021"))), false);
  assert.equal(isAmbiguousCreateFailure(map(new ccxt.InvalidOrder("no"))), false);
});

Deno.test("parseRetryAfter reads seconds and HTTP dates", () => {
  assert.equal(parseRetryAfter("2", 0), 2000);
  assert.equal(parseRetryAfter(new Date(61_000).toUTCString(), 1_000), 60_000);
  assert.equal(parseRetryAfter("soon", 0), null);
  assert.equal(parseRetryAfter(undefined, 0), null);
});

Deno.test("toTradingError masks the signature of a signed URL in its message", () => {
  const url = "https://api.binance.com/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=" +
    "0123456789abcdef0123456789abcdef";
  const error = toTradingError(new ccxt.RequestTimeout(`binance GET ${url} request timed out`), {
    action: "create order",
  });
  assert.doesNotMatch(error.message, /0123456789abcdef/);
  assert.match(error.message, /signature=\*\*\*/);
});
