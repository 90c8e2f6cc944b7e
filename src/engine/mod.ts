/**
 * Engine parts: what backtest, paper and replay build from one config (strategy, risk policy,
 * simulated exchange, kernel), in one place so that they agree.
 */
export { createStrategy } from "./create_strategy.ts";
export { createEngineParts, type EngineParts, type EnginePartsOptions } from "./engine_parts.ts";
