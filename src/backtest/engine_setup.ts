/**
 * Builds the engine parts of one instance from its config: strategy, risk policy, simulated
 * venue core and kernel. Backtest, paper and replay all build them here, so they agree.
 */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { EngineKernel } from "../core/engine.ts";
import type { ClientOrderIdParts } from "../core/engine_types.ts";
import { ConfigError } from "../core/errors.ts";
import type { Strategy } from "../core/ports.ts";
import { SimulatedExchange } from "../execution/simulated_exchange.ts";
import { type MarketFacts, type MarketRules, resolveMarketRules } from "../risk/market_rules.ts";
import { ConfigRiskPolicy } from "../risk/risk_policy.ts";
import { riskSettingsFromConfig } from "../risk/risk_settings.ts";
import { getStrategyDefinition, strategyNames } from "../strategies/registry.ts";
import { instantiateStrategy } from "../strategy_runtime/instantiate.ts";

/** The wired parts of one run. */
export interface EngineParts {
  readonly kernel: EngineKernel;
  readonly venue: SimulatedExchange;
  readonly risk: ConfigRiskPolicy;
  readonly strategy: Strategy;
  readonly rules: MarketRules;
}

/** Options for `createEngineParts`. */
export interface EngineSetupOptions {
  /** Cached market data (fees, step, minimums) for keys the config leaves null. */
  readonly market?: MarketFacts | null;
  /** A ready strategy instance instead of the registry's (tests). */
  readonly strategy?: Strategy;
  /** Client id prefix; default the instance name. */
  readonly idPrefix?: string;
  readonly clientOrderId?: (parts: ClientOrderIdParts) => string;
  /** Keep finished orders and fills in the venue (default true; backtests pass false). */
  readonly retainVenueHistory?: boolean;
}

/**
 * A fresh built-in strategy instance from the registry; the params were validated when the
 * config loaded. User modules are instantiated in their sandbox and passed in as `strategy`.
 */
export function createStrategy(config: InstanceConfig): Strategy {
  const definition = getStrategyDefinition(config.strategy.name);
  if (config.strategy.module !== undefined) {
    throw new ConfigError(
      `Cannot create strategy: strategy.module: ${config.strategy.module} runs only in its sandbox`,
    );
  }
  if (definition === undefined) {
    throw new ConfigError(
      `Cannot create strategy: strategy.name: unknown strategy "${config.strategy.name}"; ` +
        `known: ${strategyNames().join(", ") || "(none registered)"}`,
    );
  }
  const params = definition.params.parse(config.strategy.params) as Record<string, unknown>;
  return instantiateStrategy(definition, params, config.timeframe);
}

/** Strategy, risk, simulated venue and kernel for `config`, starting from `account.balance`. */
export function createEngineParts(
  config: InstanceConfig,
  options: EngineSetupOptions = {},
): EngineParts {
  const rules = resolveMarketRules(config.execution, options.market ?? null);
  const strategy = options.strategy ?? createStrategy(config);
  const risk = new ConfigRiskPolicy(riskSettingsFromConfig(config, rules));
  const balance = config.account.balance;
  const venue = new SimulatedExchange({
    symbol: config.symbol,
    feeRate: rules.feeRate,
    slippageBps: config.execution.slippage_bps,
    amountStep: rules.amountStep,
    minAmount: rules.minAmount,
    minNotional: rules.minNotional,
    latencyCandles: config.execution.latency_candles,
    quoteBalance: balance,
    retainHistory: options.retainVenueHistory ?? true,
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
  return { kernel, venue, risk, strategy, rules };
}
