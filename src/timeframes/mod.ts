/** Timeframes: parsing, boundaries (weeks on Monday, calendar months) and gap detection. */
export * from "./timeframe.ts";
export * from "./boundaries.ts";
export * from "./expected_open_times.ts";
export * from "./find_gaps.ts";
