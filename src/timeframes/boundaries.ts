/**
 * Moved to core/boundaries.ts so that core depends on nothing outside core. Kept only for the
 * modules that still import this path; import from core/boundaries.ts or timeframes/mod.ts.
 */
export * from "../core/boundaries.ts";
