/** The supported candle timeframes, their parsing and their nominal length. */
import { InputError } from "./errors.ts";

/** Every timeframe we support, shortest first (CCXT's spelling; `1M` is a calendar month). */
export const TIMEFRAMES = [
  "1m",
  "3m",
  "5m",
  "15m",
  "30m",
  "1h",
  "2h",
  "4h",
  "6h",
  "8h",
  "12h",
  "1d",
  "3d",
  "1w",
  "1M",
] as const;

/** A supported timeframe such as `"1h"`. */
export type Timeframe = typeof TIMEFRAMES[number];

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const NOMINAL_MS: Readonly<Record<Timeframe, number>> = {
  "1m": MINUTE_MS,
  "3m": 3 * MINUTE_MS,
  "5m": 5 * MINUTE_MS,
  "15m": 15 * MINUTE_MS,
  "30m": 30 * MINUTE_MS,
  "1h": HOUR_MS,
  "2h": 2 * HOUR_MS,
  "4h": 4 * HOUR_MS,
  "6h": 6 * HOUR_MS,
  "8h": 8 * HOUR_MS,
  "12h": 12 * HOUR_MS,
  "1d": DAY_MS,
  "3d": 3 * DAY_MS,
  "1w": 7 * DAY_MS,
  // CCXT's nominal month; boundaries use real calendar months (see boundaries.ts).
  "1M": 30 * DAY_MS,
};

const KNOWN: ReadonlySet<string> = new Set(TIMEFRAMES);

/** True when `text` is exactly one of `TIMEFRAMES` (case-sensitive: `1M` is a month, `1H` is invalid). */
export function isTimeframe(text: string): text is Timeframe {
  return KNOWN.has(text);
}

/** Parses a timeframe or throws a one-line `InputError` naming the valid ones. */
export function parseTimeframe(text: string): Timeframe {
  if (isTimeframe(text)) return text;
  throw new InputError(
    `Cannot parse timeframe "${text}": must be one of ${TIMEFRAMES.join(", ")}`,
  );
}

/** Nominal length in ms; exact for all but `1M`, which is 30 days here as in CCXT. */
export function timeframeMs(timeframe: Timeframe): number {
  return NOMINAL_MS[timeframe];
}

/** True for timeframes whose every candle has the same length (all but `1M`). */
export function isFixedLength(timeframe: Timeframe): boolean {
  return timeframe !== "1M";
}
