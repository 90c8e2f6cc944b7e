/** Validates the `--exchange --symbol --timeframe` arguments of the candle commands. */
import { InputError } from "../core/errors.ts";
import type { MarketRef } from "../core/types.ts";
import { SYMBOL_PATTERN } from "../config/instance_config_schema.ts";
import { isTimeframe, parseTimeframe, type Timeframe, TIMEFRAMES } from "../timeframes/mod.ts";

const EXCHANGE_PATTERN = /^[a-z][a-z0-9_]{1,30}$/;

/** A market from command-line text; bad parts are one-line `InputError`s (exit 2). */
export function parseMarketArgs(
  args: { exchange: string; symbol: string; timeframe: string },
): MarketRef {
  if (!EXCHANGE_PATTERN.test(args.exchange)) {
    throw new InputError(
      `Cannot use exchange "${args.exchange}": must be a CCXT id such as binance or kraken`,
    );
  }
  if (!SYMBOL_PATTERN.test(args.symbol)) {
    throw new InputError(
      `Cannot use symbol "${args.symbol}": must be a unified symbol BASE/QUOTE such as BTC/USDT`,
    );
  }
  return {
    exchange: args.exchange,
    symbol: args.symbol,
    timeframe: parseTimeframe(args.timeframe),
  };
}

/** A timeframe from the option `--<option>`; a bad one is a one-line `InputError` naming it. */
export function parseTimeframeOption(option: string, text: string): Timeframe {
  if (isTimeframe(text)) return text;
  throw new InputError(
    `Cannot read --${option}: "${text}" is not a timeframe (use one of ${TIMEFRAMES.join(" ")})`,
  );
}

/** Reads `exchange_BASE-QUOTE_tf.csv` (the bundled sample naming) as a market, or null. */
export function marketFromFileName(fileName: string): MarketRef | null {
  const match = /^([a-z0-9_]+?)_([A-Z0-9]+)-([A-Z0-9]+)_([0-9]+[mhdwM])\.(csv|json)$/.exec(
    fileName,
  );
  if (!match) return null;
  try {
    return parseMarketArgs({
      exchange: match[1],
      symbol: `${match[2]}/${match[3]}`,
      timeframe: match[4],
    });
  } catch {
    return null;
  }
}
