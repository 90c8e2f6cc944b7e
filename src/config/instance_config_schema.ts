/** The instance config schema: every key with a description, a default (unless required) and bounds. */
import { z } from "zod";
import { TIMEFRAMES } from "../core/timeframe.ts";
import { NOTIFY_CHANNELS, NOTIFY_EVENTS } from "../notify/events.ts";
import { closestMatch } from "./did_you_mean.ts";

/** Instance names: lower-case letters, digits and dashes. */
export const INSTANCE_NAME_PATTERN = /^[a-z0-9-]+$/;
/** Unified CCXT spot symbols `BASE/QUOTE`, optionally `:SETTLE` for derivatives. */
export const SYMBOL_PATTERN = /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}(:[A-Z0-9]{1,20})?$/;
/** `YYYY-MM-DD` or an ISO 8601 date-time. */
export const CONFIG_DATE_PATTERN =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function pct(description: string, fallback: number | null) {
  return z.number().gt(0).max(100).nullable().default(fallback).describe(description);
}

const strategySchema = z.strictObject({
  name: z.string().min(1).max(64).optional().describe(
    "Built-in strategy: rsi, rsi_macd, scalping, trend_following, sma_cross or rules; set this or module",
  ),
  module: z.string().min(1).max(200).optional().describe(
    "User strategy file under strategies/, e.g. strategies/my_idea.ts; set this or name",
  ),
  params: z.record(z.string(), z.unknown()).default({}).describe(
    "Strategy parameters, validated by the strategy's own schema; omitted keys take its defaults",
  ),
});

const riskSchema = z.strictObject({
  stake_pct: z.number().gt(0).max(100).nullable().default(null).describe(
    "Share of free quote balance per entry, in %; 95 when neither stake_pct nor stake_amount is set",
  ),
  stake_amount: z.number().gt(0).max(1e12).nullable().default(null).describe(
    "Fixed stake per entry in quote currency; set this or stake_pct, not both",
  ),
  stop_loss_pct: pct("Stop-loss distance below entry, in %; null = off", null),
  take_profit_pct: z.number().gt(0).max(1000).nullable().default(null).describe(
    "Take-profit distance above entry, in %; must exceed stop_loss_pct; null = off",
  ),
  trailing_stop_pct: pct(
    "Trailing stop distance below the highest price since entry, in %; null = off",
    null,
  ),
  max_drawdown_pct: pct(
    "Equity drawdown from peak, in %, that halts new entries; null = off",
    null,
  ),
  daily_loss_limit_pct: pct(
    "Loss within one UTC day, in % of day-start equity, that halts entries for the day; null = off",
    null,
  ),
  max_open_positions: z.int().min(1).max(100).default(1).describe(
    "Most positions open at once for this instance",
  ),
  stop_on_exchange: z.boolean().default(false).describe(
    "Live only: place the stop-loss as an order on the exchange instead of watching it locally",
  ),
  max_consecutive_failures: z.int().min(1).max(100).default(5).describe(
    "Consecutive failed order attempts that halt new entries (status halted, exits only)",
  ),
}).prefault({}).describe("Position sizing and limits; every limit can be switched off with null");

const accountSchema = z.strictObject({
  balance: z.number().gt(0).max(1e12).default(10000).describe(
    "Starting quote balance for backtest and paper trading",
  ),
}).prefault({}).describe("Simulated account");

const executionSchema = z.strictObject({
  fee_pct: z.number().min(0).max(10).nullable().default(null).describe(
    "Fee per fill in % of notional; null = taker fee from the exchange's market data, else 0.1",
  ),
  slippage_bps: z.number().min(0).max(1000).default(5).describe(
    "Market order price moved against us, in basis points (1 bps = 0.01 %)",
  ),
  amount_step: z.number().gt(0).max(1e6).nullable().default(null).describe(
    "Order amount step in base currency; null = from cached market data, else 1e-8",
  ),
  latency_candles: z.int().min(0).max(100).default(0).describe(
    "Extra candles between a signal and its fill, to model a slow venue in backtests",
  ),
}).prefault({}).describe("Fill model: fees, slippage and amount rounding");

const backtestSchema = z.strictObject({
  from: z.string().regex(CONFIG_DATE_PATTERN).nullable().default(null).describe(
    "First candle to test, YYYY-MM-DD or ISO 8601 (UTC); null = start of stored data",
  ),
  to: z.string().regex(CONFIG_DATE_PATTERN).nullable().default(null).describe(
    "End of the tested range (exclusive), YYYY-MM-DD or ISO 8601 (UTC); null = end of data",
  ),
}).prefault({}).describe("Default backtest range; --from and --to override it");

const tradeSchema = z.strictObject({
  heartbeat_seconds: z.number().min(1).max(3600).default(5).describe(
    "Seconds between heartbeats written to the DB by a running instance",
  ),
  close_delay_ms: z.int().min(0).max(60000).default(2000).describe(
    "Wait after a candle's close before fetching it, so the exchange has finalised it",
  ),
  stop_check: z.enum(["candle", "ticker"]).default("candle").describe(
    "Paper and live: check stops and take-profits on each closed candle, or also on the ticker",
  ),
  ticker_seconds: z.number().min(1).max(300).default(5).describe(
    "With stop_check: ticker, seconds between ticker polls while a position is protected",
  ),
}).prefault({}).describe("Live loop timing");

const optimizeSchema = z.strictObject({
  space: z.record(z.string(), z.string()).default({}).describe(
    "Search space of deno task optimize: key → from..to:step, e.g. strategy.params.fast: 5..30:5",
  ),
  objective: z.string().min(1).max(64).default("sharpe").describe(
    "Report metric to optimise: sharpe, sortino, calmar, returnPct, profitFactor, sqn, …",
  ),
  direction: z.enum(["maximize", "minimize"]).default("maximize").describe(
    "Whether the objective is maximised or minimised",
  ),
  method: z.enum(["grid", "random", "halving"]).default("grid").describe(
    "grid tries every point; random samples points; halving drops the worst on growing windows",
  ),
  samples: z.int().min(1).max(100000).default(100).describe(
    "random (and halving, when smaller than the grid): number of points drawn",
  ),
  seed: z.int().min(0).max(2147483647).default(1).describe(
    "Seed of random and halving draws: the same seed gives the same points",
  ),
  min_trades: z.int().min(0).max(1000000).default(10).describe(
    "Fewest trades a combination needs to be chosen as best",
  ),
}).prefault({}).describe("deno task optimize: search space, objective and method; flags override");

/** A name from `known`; a misspelt one gets "did you mean". */
function oneOf(known: readonly string[], what: string) {
  return z.string().refine((value) => known.includes(value), {
    error: (issue) => `unknown ${what} "${issue.input}"; ${didYouMean(String(issue.input), known)}`,
  });
}

function didYouMean(word: string, known: readonly string[]): string {
  const match = closestMatch(word, known);
  return match ? `did you mean "${match}"?` : `known: ${known.join(", ")}`;
}

const notifySchema = z.strictObject({
  events: z.array(oneOf(NOTIFY_EVENTS, "event")).nullable().default(null).describe(
    `Events to send: ${NOTIFY_EVENTS.join(" ")}; null = all but daily_summary (opt-in)`,
  ),
  channels: z.array(oneOf(NOTIFY_CHANNELS, "channel")).nullable().default(null).describe(
    `Channels to use (${NOTIFY_CHANNELS.join(" ")}), among those set in .env; null = all`,
  ),
  min_pnl_pct: z.number().min(0).max(1000).nullable().default(null).describe(
    "A fill that closes a trade is sent only when |pnl| reaches this %; null = every fill",
  ),
}).nullable().default(null).describe(
  "Paper and live: which events go to the channels set in .env; absent = every event but daily_summary",
);

/** The whole instance config (`config/strategies/*.yaml`). Unknown keys are errors. */
export const InstanceConfigSchema = z.strictObject({
  name: z.string().regex(INSTANCE_NAME_PATTERN).max(64).describe(
    "Instance id, [a-z0-9-]+, unique across instances; default: the file name without extension",
  ),
  exchange: z.string().regex(/^[a-z0-9]+$/).max(32).describe(
    "CCXT exchange id, e.g. binance (required)",
  ),
  symbol: z.string().regex(SYMBOL_PATTERN).describe(
    "Unified CCXT symbol BASE/QUOTE, e.g. BTC/USDT (required)",
  ),
  timeframe: z.enum(TIMEFRAMES).describe(`Candle timeframe: ${TIMEFRAMES.join(" ")} (required)`),
  mode: z.enum(["paper", "live"]).default("paper").describe(
    "paper simulates fills on live candles; live sends real orders",
  ),
  sandbox: z.boolean().default(false).describe("Use the exchange's testnet, where CCXT has one"),
  strategy: strategySchema.describe("Which strategy runs, and its parameters"),
  risk: riskSchema,
  account: accountSchema,
  execution: executionSchema,
  backtest: backtestSchema,
  trade: tradeSchema,
  optimize: optimizeSchema,
  notify: notifySchema,
});

/**
 * A validated instance config, with every default filled in. After loading, `strategy.name` is
 * always set: for a user module it is the name its definition declares.
 */
export type InstanceConfig =
  & Omit<z.infer<typeof InstanceConfigSchema>, "strategy">
  & { strategy: StrategySection };

/** The strategy section once loaded: a built-in by name, or a user module and its name. */
export interface StrategySection {
  name: string;
  module?: string;
  params: Record<string, unknown>;
}
