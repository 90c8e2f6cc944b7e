/** Risk: position sizing, protective levels, limits and breakers; a "no" is a returned decision. */
export { ConfigRiskPolicy, type RiskSettings } from "./risk_policy.ts";
export {
  DEFAULT_AMOUNT_STEP,
  DEFAULT_FEE_RATE,
  type MarketFacts,
  type MarketRules,
  resolveMarketRules,
} from "./market_rules.ts";
export { riskSettingsFromConfig } from "./risk_settings.ts";
