/** Candles: parse and validate our CSV and freqtrade JSON, write CSV, resample stored series. */
export * from "./parse_candles.ts";
export * from "./format_candles.ts";
export { checkTime } from "./candle_checks.ts";
export * from "./import_candles.ts";
export * from "./market_args.ts";
export * from "./series_table.ts";
export * from "./resample_stored.ts";
