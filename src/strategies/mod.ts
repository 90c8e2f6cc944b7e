/** Strategies: the contract, the six shipped strategies and the registry that names them. */
export type { StrategyDefinition } from "../strategy_api.ts";
export { getStrategyDefinition, strategyNames } from "./registry.ts";
export { rsiDefinition, type RsiParams } from "./rsi.ts";
export { rsiMacdDefinition, type RsiMacdParams } from "./rsi_macd.ts";
export { rulesDefinition, type RulesParams } from "./rules/mod.ts";
export { scalpingDefinition, type ScalpingParams } from "./scalping.ts";
export { smaCrossDefinition, type SmaCrossParams } from "./sma_cross.ts";
export { trendFollowingDefinition, type TrendFollowingParams } from "./trend_following.ts";
