/** Builds `RiskSettings` from an instance config and the resolved market rules. */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { MarketRules } from "./market_rules.ts";
import type { RiskSettings } from "./risk_policy.ts";

/** Default stake when the config sets neither `stake_pct` nor `stake_amount`. */
const DEFAULT_STAKE_PCT = 95;

/** The risk section plus market rules, in the policy's units. */
export function riskSettingsFromConfig(config: InstanceConfig, rules: MarketRules): RiskSettings {
  const risk = config.risk;
  return {
    stakePct: risk.stake_amount === null ? risk.stake_pct ?? DEFAULT_STAKE_PCT : null,
    stakeAmountQuote: risk.stake_amount,
    stopLossPct: risk.stop_loss_pct,
    takeProfitPct: risk.take_profit_pct,
    trailingStopPct: risk.trailing_stop_pct,
    maxDrawdownPct: risk.max_drawdown_pct,
    dailyLossLimitPct: risk.daily_loss_limit_pct,
    maxOpenPositions: risk.max_open_positions,
    ...rules,
  };
}
