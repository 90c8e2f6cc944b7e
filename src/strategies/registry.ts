/**
 * The strategy registry: every strategy the config can name. Each strategy's module is imported
 * deferred: it loads with the registry but runs (builds its params schema, and for `rules` the
 * Ohm grammar library) only when its definition is first asked for, so a backtest pays for the
 * one strategy it uses.
 */
import type { StrategyDefinition } from "../strategy_api.ts";
import defer * as rsi from "./rsi.ts";
import defer * as rsiMacd from "./rsi_macd.ts";
import defer * as rules from "./rules/mod.ts";
import defer * as scalping from "./scalping.ts";
import defer * as smaCross from "./sma_cross.ts";
import defer * as trendFollowing from "./trend_following.ts";

/** Each name and how to reach its definition (touching the namespace runs the module). */
const DEFINITIONS: Readonly<Record<string, () => StrategyDefinition>> = {
  rsi: () => rsi.rsiDefinition,
  rsi_macd: () => rsiMacd.rsiMacdDefinition,
  scalping: () => scalping.scalpingDefinition,
  trend_following: () => trendFollowing.trendFollowingDefinition,
  sma_cross: () => smaCross.smaCrossDefinition,
  rules: () => rules.rulesDefinition,
};

/** The definition registered under `name`, or undefined. */
export function getStrategyDefinition(name: string): StrategyDefinition | undefined {
  return Object.hasOwn(DEFINITIONS, name) ? DEFINITIONS[name]() : undefined;
}

/** Every registered strategy name, sorted. */
export function strategyNames(): string[] {
  return Object.keys(DEFINITIONS).sort();
}

/**
 * Built-in strategies that never read a candle's volume (`strategies_backtest_test` holds each
 * to it: the same report with every volume zeroed), so their backtests may leave the volume
 * column unloaded. `rules` may read it; a user module, sandboxed, always gets it.
 */
export const VOLUME_FREE_STRATEGIES: readonly string[] = [
  "rsi",
  "rsi_macd",
  "scalping",
  "sma_cross",
  "trend_following",
];

/** Whether a backtest of strategy `name` needs the candles' volume. */
export function readsVolume(name: string): boolean {
  return !VOLUME_FREE_STRATEGIES.includes(name);
}
