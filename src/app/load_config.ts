/**
 * Loads an instance config for a task, opening its user strategy module (if any) in the sandbox
 * so that its params are checked by its own schema. The composition root for strategies: tasks
 * call this instead of `loadInstanceConfig` when the config may name `strategy.module`.
 */
import {
  type ExchangeContext,
  type InstanceConfig,
  type MarketLimits,
  parseInstanceConfig,
  peekStrategyModule,
  readConfigFile,
  REGISTRY_CATALOG,
  type StrategyCatalog,
} from "../config/mod.ts";
import type { Strategy } from "../core/ports.ts";
import { createStrategy } from "../engine/create_strategy.ts";
import { EXCHANGE_RULE_IDS, exchangeRules } from "../exchange/exchange_rules.ts";
import { hasStopMarket } from "../exchange/stop_market.ts";
import type { StrategyHost } from "../sandbox/strategy_host.ts";

/** A loaded config and, for a user module, its open sandbox. Dispose of it when done. */
export interface LoadedConfig extends Disposable {
  readonly config: InstanceConfig;
  readonly text: string;
  /** The sandboxed module, or null for a built-in strategy. */
  readonly host: StrategyHost | null;
  /** The catalog that validated it (re-used to validate sweep combinations). */
  readonly catalog: StrategyCatalog;
  /** A fresh strategy instance for `config` (a sandbox proxy for a user module). */
  createStrategy(config: InstanceConfig): Strategy;
}

/**
 * Reads, validates and, for a user module, opens the config at `path`; exits 2 on bad input.
 * The timeframe and `sandbox` are checked against the exchange's CCXT class, and the symbol and
 * stake against `markets` (the cached ones) when given. With `knownExchangesOnly`, an exchange
 * id CCXT does not know is an error (a config to trade with, not only to backtest).
 */
export async function loadConfig(
  path: string,
  options: {
    overrides?: readonly string[];
    markets?: (exchange: string) => readonly MarketLimits[];
    knownExchangesOnly?: boolean;
  } = {},
): Promise<LoadedConfig> {
  const text = await readConfigFile(path);
  const module = peekStrategyModule(text, { path, overrides: options.overrides });
  let host: StrategyHost | null = null;
  if (module !== null) {
    // The sandbox loads only for a user module: a built-in's backtest never needs it.
    const { StrategyHost, StrategyLoadError } = await import("../sandbox/strategy_host.ts");
    try {
      host = await StrategyHost.open(module.path);
    } catch (error) {
      if (!(error instanceof StrategyLoadError)) throw error;
      throw module.error(error.message, error);
    }
  }
  const catalog = catalogWith(host);
  try {
    const config = parseInstanceConfig(text, {
      path,
      overrides: options.overrides,
      strategies: catalog,
      exchange: {
        ...configExchangeContext(options.markets),
        ...(options.knownExchangesOnly ? { knownIds: EXCHANGE_RULE_IDS } : {}),
      },
    });
    return {
      config,
      text,
      host,
      catalog,
      createStrategy: (chosen) =>
        host === null
          ? createStrategy(chosen)
          : host.createStrategy(chosen.strategy.params, chosen.timeframe),
      [Symbol.dispose]: () => host?.close(),
    };
  } catch (error) {
    host?.close();
    throw error;
  }
}

/** The registry plus one opened module. */
export function catalogWith(host: StrategyHost | null): StrategyCatalog {
  if (host === null) return REGISTRY_CATALOG;
  return {
    ...REGISTRY_CATALOG,
    module: (path) => (path === host.path ? host : undefined),
  };
}

/**
 * The exchange checks of config loading: CCXT's class offline (from the table generated from
 * it, so loading a config never imports CCXT) and whether it sends stop-market orders, plus
 * `markets` when given.
 */
export function configExchangeContext(
  markets?: (exchange: string) => readonly MarketLimits[],
): ExchangeContext {
  const rules = (id: string) => {
    const table = exchangeRules(id);
    return table === null ? null : { ...table, hasStopMarket: hasStopMarket(id) };
  };
  return { rules, markets };
}

/**
 * Checks a loaded config again once the exchange's markets are known (fetched or cached): its
 * symbol and its stake against the minimum order, as a `ConfigError` naming the line.
 */
export function checkConfigMarkets(
  loaded: Pick<LoadedConfig, "text">,
  path: string,
  markets: readonly MarketLimits[],
): void {
  parseInstanceConfig(loaded.text, {
    path,
    strategies: null,
    exchange: configExchangeContext(() => markets),
  });
}
