/**
 * Checks of a config against its exchange: the timeframe, testnet and stop-market orders from the
 * exchange's CCXT class (offline), the symbol and minimum order from the markets cached in the database.
 */
import { closeMatches } from "../core/close_matches.ts";
import { DEFAULT_STAKE_PCT, type KeyProblem } from "./config_checks.ts";
import type { InstanceConfig } from "./instance_config_schema.ts";

/** What the checks need to know of an exchange without asking it (`exchangeFacts` fits). */
export interface ExchangeRules {
  readonly id: string;
  /** Timeframes the exchange offers; null when unknown (not checked). */
  readonly timeframes: readonly string[] | null;
  readonly hasSandbox: boolean;
  /** False when the exchange takes no stop-market order; absent: it does. */
  readonly hasStopMarket?: boolean;
}

/** A cached market as the checks read it (`MarketRecord` fits). */
export interface MarketLimits {
  readonly symbol: string;
  readonly quote: string;
  readonly active: boolean;
  readonly minNotional: number | null;
}

/** Where config loading finds the exchange's rules and its cached markets. */
export interface ExchangeContext {
  /** The exchange's rules; null when CCXT does not know the id (candles imported under a name). */
  rules(exchange: string): ExchangeRules | null;
  /** The exchange's cached markets; empty or absent when none are cached (not checked). */
  markets?(exchange: string): readonly MarketLimits[];
  /**
   * Every exchange id there is, when an unknown one is an error (a config to trade with) rather
   * than a name candles were imported under (a backtest).
   */
  readonly knownIds?: readonly string[];
}

/** Every problem of `config` against its exchange, in file order. */
export function exchangeProblems(config: InstanceConfig, context: ExchangeContext): KeyProblem[] {
  const rules = context.rules(config.exchange);
  if (rules === null && context.knownIds !== undefined) {
    return checkKnownExchange(config, context.knownIds);
  }
  const problems = rules === null ? [] : [
    ...checkTimeframe(config, rules),
    ...checkSandbox(config, rules),
    ...checkStopOnExchange(config, rules),
  ];
  if (problems.length > 0) return problems;
  // Only a config that fits the exchange reads its cached markets (and opens the database).
  const markets = context.markets?.(config.exchange) ?? [];
  return markets.length > 0 ? checkMarket(config, markets) : [];
}

/** The exchange must be one CCXT has a class for. */
export function checkKnownExchange(
  config: InstanceConfig,
  knownIds: readonly string[],
): KeyProblem[] {
  if (knownIds.includes(config.exchange)) return [];
  const near = closeMatches(config.exchange, knownIds, { limit: 3 });
  const hint = near.length > 0 ? `; did you mean ${near.join(" or ")}?` : "";
  return [{ path: ["exchange"], message: `${config.exchange} is not a CCXT exchange id${hint}` }];
}

/** The timeframe must be one the exchange's CCXT class maps. */
export function checkTimeframe(config: InstanceConfig, rules: ExchangeRules): KeyProblem[] {
  if (rules.timeframes === null || rules.timeframes.includes(config.timeframe)) return [];
  return [{
    path: ["timeframe"],
    message: `${rules.id} does not offer ${config.timeframe} candles; it offers ${
      rules.timeframes.join(" ")
    }`,
  }];
}

/** `sandbox: true` needs CCXT test URLs for the exchange. */
export function checkSandbox(config: InstanceConfig, rules: ExchangeRules): KeyProblem[] {
  if (!config.sandbox || rules.hasSandbox) return [];
  return [{
    path: ["sandbox"],
    message: `${rules.id} has no testnet in CCXT; set sandbox: false (binance and bybit have one)`,
  }];
}

/** `risk.stop_on_exchange: true` needs stop-market orders on the exchange. */
export function checkStopOnExchange(config: InstanceConfig, rules: ExchangeRules): KeyProblem[] {
  if (!config.risk.stop_on_exchange || rules.hasStopMarket !== false) return [];
  return [{
    path: ["risk", "stop_on_exchange"],
    message: `${rules.id} has no stop-market orders (CCXT sends only stop-limit ones there); ` +
      `set risk.stop_on_exchange: false and the trader watches the stop itself`,
  }];
}

/** The symbol must be a cached, active market; the stake must reach its minimum order value. */
export function checkMarket(
  config: InstanceConfig,
  markets: readonly MarketLimits[],
): KeyProblem[] {
  const market = markets.find((m) => m.symbol === config.symbol);
  if (market === undefined) {
    const near = closeMatches(config.symbol, markets.map((m) => m.symbol), { limit: 3 });
    const hint = near.length > 0 ? `; did you mean ${near.join(" or ")}?` : "";
    return [{
      path: ["symbol"],
      message: `${config.symbol} is not one of the ${markets.length} markets on ` +
        `${config.exchange}${hint}`,
    }];
  }
  if (!market.active) {
    return [{ path: ["symbol"], message: `${config.symbol} is not active on ${config.exchange}` }];
  }
  return checkStake(config, market);
}

/**
 * A stake below the market's minimum notional could never be sent. A percentage is checked
 * against `account.balance` (backtest and paper); live stakes a share of the real balance.
 */
export function checkStake(config: InstanceConfig, market: MarketLimits): KeyProblem[] {
  const minimum = market.minNotional;
  if (minimum === null || minimum <= 0) return [];
  const { stake_amount: amount, stake_pct: pct } = config.risk;
  const where =
    `the minimum order of ${minimum} ${market.quote} for ${market.symbol} on ${config.exchange}`;
  if (amount !== null) {
    if (amount >= minimum) return [];
    return [{
      path: ["risk", "stake_amount"],
      message: `${amount} ${market.quote} is below ${where}`,
    }];
  }
  if (config.mode === "live") return [];
  const share = pct ?? DEFAULT_STAKE_PCT;
  const stake = config.account.balance * share / 100;
  if (stake >= minimum) return [];
  return [{
    path: pct === null ? ["account", "balance"] : ["risk", "stake_pct"],
    message: `a ${share}% stake of account.balance ${config.account.balance} is ` +
      `${Number(stake.toPrecision(6))} ${market.quote}, below ${where}`,
  }];
}
