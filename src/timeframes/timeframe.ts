/**
 * Moved to core/timeframe.ts so that core depends on nothing outside core. Kept only for the
 * modules that still import this path; import from core/timeframe.ts or timeframes/mod.ts.
 */
export * from "../core/timeframe.ts";
