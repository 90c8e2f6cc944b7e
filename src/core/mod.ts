/** Core: domain types, ports, clocks and errors. Depends on nothing outside core. */
export * from "./types.ts";
export * from "./ports.ts";
export * from "./errors.ts";
export * from "./clock.ts";
export * from "./engine.ts";
export * from "./engine_types.ts";
export * from "./engine_driver.ts";
export * from "./amounts.ts";
