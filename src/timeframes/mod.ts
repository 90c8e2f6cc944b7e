/**
 * Timeframes: parsing, boundaries (weeks on Monday, calendar months), gaps and resampling. The
 * parsing and the boundaries live in core, whose engine needs them; this module re-exports them.
 */
export * from "../core/timeframe.ts";
export * from "../core/boundaries.ts";
export * from "./expected_open_times.ts";
export * from "./find_gaps.ts";
export * from "./resample.ts";
