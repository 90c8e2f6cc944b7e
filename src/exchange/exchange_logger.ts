/** The logger the exchange layer writes to: LogTape's, under `trading.exchange`, unless one is given. */
import { getLogger } from "../logging/mod.ts";

/** The subset of LogTape's `Logger` the exchange layer uses. */
export interface ExchangeLogger {
  debug(message: string, properties?: Record<string, unknown>): void;
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

/** The given logger, or the app's `exchange` logger. */
export function exchangeLogger(logger?: ExchangeLogger): ExchangeLogger {
  return logger ?? getLogger(["exchange"]);
}
