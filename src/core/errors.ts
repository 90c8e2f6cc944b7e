/** Typed errors. Each carries a `cause`; only `TransientExchangeError` is ever retried. */

/** Success; the exit codes are documented in docs/commands.md. */
export const EXIT_OK = 0;
/** A runtime failure. */
export const EXIT_RUNTIME = 1;
/** Bad input: usage, config or data. */
export const EXIT_BAD_INPUT = 2;

/** Base class: `message` is one line, "Cannot <do what>: <why>". */
export class TradingError extends Error {
  /** Process exit code this error maps to. */
  readonly exitCode: number = EXIT_RUNTIME;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from the user: config, arguments, CSV or environment. Exit code 2. */
export class InputError extends TradingError {
  override readonly exitCode: number = EXIT_BAD_INPUT;
}

/** A config file that cannot be loaded or validated. */
export class ConfigError extends InputError {}

/** Candle data that fails validation (CSV import or a feed). */
export class DataError extends InputError {}

/** The database cannot be opened, migrated or written. */
export class StorageError extends TradingError {}

/**
 * The database server cannot be reached now (connection refused, reset or closed, server shut
 * down or starting, timeout): the statement did not run, or its transaction was rolled back.
 * A trader waits for the server to come back instead of stopping.
 */
export class DatabaseUnavailableError extends StorageError {
  /** The SQLSTATE or driver code that told it (`ECONNREFUSED`, `57P01`, …), when known. */
  readonly code: string | null;
  constructor(message: string, code: string | null = null, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A database that cannot be used as given (directory, not SQLite, newer schema). Exit code 2. */
export class StorageInputError extends InputError {}

/** Exchange errors that may succeed on retry: network, timeout, rate limit, unavailable. */
export class TransientExchangeError extends TradingError {
  /** Milliseconds the exchange asked us to wait, when it said (Retry-After). */
  readonly retryAfterMs: number | null;
  constructor(message: string, options?: { cause?: unknown; retryAfterMs?: number | null }) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs ?? null;
  }
}

/** Exchange errors that must not be retried: auth, permission, bad symbol, not found. */
export class FinalExchangeError extends TradingError {}

/** Credentials were refused. Stops the instance with status `error`. */
export class AuthenticationError extends FinalExchangeError {}

/** The exchange or our own pre-checks refused an order (limits, funds, invalid). */
export class OrderRejectedError extends FinalExchangeError {}

/** The exchange's clock and ours disagree (Binance -1021); resync then retry once. */
export class ClockSkewError extends TransientExchangeError {}

/** Message of any thrown value, for one-line reports. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
