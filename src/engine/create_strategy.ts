/** A built-in strategy instance from the registry, for the engine parts of one config. */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { ConfigError } from "../core/errors.ts";
import type { Strategy } from "../core/ports.ts";
import { getStrategyDefinition, strategyNames } from "../strategies/registry.ts";
import { instantiateStrategy } from "../strategy_runtime/instantiate.ts";

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
