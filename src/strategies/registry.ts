/** The strategy registry: every strategy the config can name. */
import type { StrategyDefinition } from "../strategy_api.ts";
import { rsiDefinition } from "./rsi.ts";
import { rsiMacdDefinition } from "./rsi_macd.ts";
import { rulesDefinition } from "./rules/mod.ts";
import { scalpingDefinition } from "./scalping.ts";
import { smaCrossDefinition } from "./sma_cross.ts";
import { trendFollowingDefinition } from "./trend_following.ts";

const DEFINITIONS = new Map<string, StrategyDefinition>(
  [
    rsiDefinition,
    rsiMacdDefinition,
    scalpingDefinition,
    trendFollowingDefinition,
    smaCrossDefinition,
    rulesDefinition,
  ].map((definition) => [definition.name, definition]),
);

/** The definition registered under `name`, or undefined. */
export function getStrategyDefinition(name: string): StrategyDefinition | undefined {
  return DEFINITIONS.get(name);
}

/** Every registered strategy name, sorted. */
export function strategyNames(): string[] {
  return [...DEFINITIONS.keys()].sort();
}
