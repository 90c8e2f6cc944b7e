/**
 * The engine parts of one instance, built from its config: strategy, risk policy, simulated
 * exchange and kernel. Backtest, paper and replay all take them from here, so they agree; the
 * backtest steps `exchange` directly, the trader's order manager sends through `venue`.
 */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { EngineKernel } from "../core/engine.ts";
import type { ClientOrderIdParts } from "../core/engine_types.ts";
import type { Strategy } from "../core/ports.ts";
import { SimulatedExchange } from "../execution/simulated_exchange.ts";
import { SimulatedVenue } from "../execution/simulated_venue.ts";
import { type MarketFacts, type MarketRules, resolveMarketRules } from "../risk/market_rules.ts";
import { ConfigRiskPolicy } from "../risk/risk_policy.ts";
import { riskSettingsFromConfig } from "../risk/risk_settings.ts";
import { createStrategy } from "./create_strategy.ts";

/** The wired parts of one run. */
export interface EngineParts {
  readonly kernel: EngineKernel;
  /** The simulated exchange, stepped synchronously (backtest). */
  readonly exchange: SimulatedExchange;
  /** The same exchange behind the async `Venue` port (paper and replay). */
  readonly venue: SimulatedVenue;
  readonly risk: ConfigRiskPolicy;
  readonly strategy: Strategy;
  readonly rules: MarketRules;
}

/** Options for `createEngineParts`. */
export interface EnginePartsOptions {
  /** Cached market data (fees, step, minimums) for keys the config leaves null. */
  readonly market?: MarketFacts | null;
  /** A ready strategy instance (a user module's sandbox proxy, tests); default the built-in. */
  readonly strategy?: Strategy;
  /** Client id prefix; default the instance name. */
  readonly idPrefix?: string;
  readonly clientOrderId?: (parts: ClientOrderIdParts) => string;
  /**
   * Keep finished orders and fills in the exchange (default true; backtests pass false, and the
   * exchange then ends an order by changing its object in place).
   */
  readonly retainHistory?: boolean;
}

/** Strategy, risk, simulated exchange and kernel for `config`, starting from `account.balance`. */
export function createEngineParts(
  config: InstanceConfig,
  options: EnginePartsOptions = {},
): EngineParts {
  const rules = resolveMarketRules(config.execution, options.market ?? null);
  const strategy = options.strategy ?? createStrategy(config);
  const risk = new ConfigRiskPolicy(riskSettingsFromConfig(config, rules));
  const balance = config.account.balance;
  const exchange = new SimulatedExchange({
    symbol: config.symbol,
    feeRate: rules.feeRate,
    slippageBps: config.execution.slippage_bps,
    amountStep: rules.amountStep,
    minAmount: rules.minAmount,
    minNotional: rules.minNotional,
    latencyCandles: config.execution.latency_candles,
    quoteBalance: balance,
    retainHistory: options.retainHistory ?? true,
  });
  const kernel = new EngineKernel({
    symbol: config.symbol,
    timeframe: config.timeframe,
    strategy,
    risk,
    balances: { quoteFree: balance, quoteTotal: balance, baseFree: 0, baseTotal: 0 },
    idPrefix: options.idPrefix ?? config.name,
    clientOrderId: options.clientOrderId,
    amountStep: rules.amountStep,
  });
  return { kernel, exchange, venue: new SimulatedVenue(exchange), risk, strategy, rules };
}
