/** Timeframes: parsing, boundaries (weeks on Monday, calendar months), gaps and resampling. */
export * from "./timeframe.ts";
export * from "./boundaries.ts";
export * from "./expected_open_times.ts";
export * from "./find_gaps.ts";
export * from "./resample.ts";
