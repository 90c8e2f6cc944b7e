/**
 * The example configs adapted for the soak: the emulator speaks Binance only, so each example
 * runs as a Binance market of one of the emulator's symbols, with its strategy and risk kept.
 */
import { parse, stringify } from "yaml";

/** One soak instance: which example it comes from and the Binance market it runs on. */
export interface SoakMarket {
  readonly example: string;
  readonly symbol: string;
  /** Price level of the synthetic candles. */
  readonly basePrice: number;
}

/**
 * Kraken, Coinbase and Bybit examples move to Binance symbols of similar kind; MATIC/USDT (which
 * the market check rejects on purpose) is left out, leaving six instances.
 */
export const SOAK_MARKETS: readonly SoakMarket[] = [
  { example: "btc-binance-1h", symbol: "BTC/USDT", basePrice: 60_000 },
  { example: "eth-binance-15m", symbol: "ETH/USDT", basePrice: 3_000 },
  { example: "sma-cross-btc-1h", symbol: "BTC/USDT", basePrice: 60_000 },
  { example: "sol-kraken-4h", symbol: "SOL/USDT", basePrice: 150 },
  { example: "avax-bybit-2h", symbol: "BNB/USDT", basePrice: 500 },
  { example: "btc-coinbase-1h", symbol: "BTC/USDC", basePrice: 60_000 },
];

/** The example's YAML as a paper Binance instance named `soak-<example>`. */
export function adaptExample(yamlText: string, market: SoakMarket): string {
  const config = parse(yamlText) as Record<string, unknown>;
  config.name = `soak-${market.example}`;
  config.exchange = "binance";
  config.symbol = market.symbol;
  config.mode = "paper";
  config.sandbox = false;
  config.trade = { ...(config.trade as object ?? {}), heartbeat_seconds: 1 };
  return stringify(config);
}

/** A live 1m sma_cross 2/3 config without its name: it trades on every zigzag candle. */
export const LIVE_CONFIG_BODY = `exchange: binance
symbol: BTC/USDT
timeframe: 1m
mode: live
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_amount: 200
  stop_loss_pct: null
  take_profit_pct: null
  max_drawdown_pct: null
  daily_loss_limit_pct: null
trade:
  heartbeat_seconds: 1
  close_delay_ms: 300
`;

/** A live 1m instance that trades every candle on zigzag data. */
export function liveConfig(name: string): string {
  return `name: ${name}\n${LIVE_CONFIG_BODY}`;
}
