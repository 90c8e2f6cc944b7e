/**
 * Configs of the kill campaign's lanes: 1m sma_cross 2/3 on zigzag candles (an entry every two
 * minutes, its exit the minute between), live unless the lane is the paper one. `kill-stop`
 * keeps its stop on the exchange and checks a 0.1 % take-profit on the ticker every second, so
 * the take-profit is crossed about 36 s into the candle after the entry (the zigzag never falls
 * to its 0.05 % stop); `kill-close` keeps only the stop, on the exchange, for `--close-on-exit`
 * to cancel.
 */
import type { LaneName } from "./kill_plan.ts";

const STRATEGY = `exchange: binance
symbol: BTC/USDT
timeframe: 1m
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
`;

const TRADE = `trade:
  heartbeat_seconds: 1
  close_delay_ms: 300
`;

const NO_STOPS = `risk:
  stake_amount: 200
  stop_loss_pct: null
  take_profit_pct: null
  max_drawdown_pct: null
  daily_loss_limit_pct: null
`;

const RISK: Readonly<Record<LaneName, string>> = {
  "kill-order": NO_STOPS,
  "kill-send": NO_STOPS,
  "kill-paper": NO_STOPS,
  "kill-stop": `risk:
  stake_amount: 200
  stop_loss_pct: 0.05
  take_profit_pct: 0.1
  stop_on_exchange: true
  max_drawdown_pct: null
  daily_loss_limit_pct: null
`,
  "kill-close": `risk:
  stake_amount: 200
  stop_loss_pct: 1
  take_profit_pct: null
  stop_on_exchange: true
  max_drawdown_pct: null
  daily_loss_limit_pct: null
`,
};

/** The lane's instance config (YAML). */
export function laneConfig(lane: LaneName): string {
  const mode = lane === "kill-paper" ? "paper" : "live";
  const ticker = lane === "kill-stop" ? "  stop_check: ticker\n  ticker_seconds: 1\n" : "";
  return `name: ${lane}\n${STRATEGY}mode: ${mode}\n${RISK[lane]}${TRADE}${ticker}`;
}
