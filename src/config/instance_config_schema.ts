/**
 * The instance config schema: every key with a description, a default (unless required) and bounds.
 * Built with zod/mini: the same core checks, issues and JSON Schema as classic zod, at a fraction
 * of the construction cost (classic's came to about 25 ms before every backtest's first candle).
 */
import * as z from "zod/mini";
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

// Classic zod installs its English messages when it builds its first schema; zod/mini does not.
// Issues this module's schema raises before any classic schema exists read them too.
if (!z.config().localeError) z.config(z.locales.en());

/** `schema` with `description` in zod's global registry, where JSON Schema reads it. */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

/** `schema` or null; null when absent. */
function orNull<T extends z.ZodMiniType>(schema: T) {
  return z._default(z.nullable(schema), null);
}

function pct(description: string) {
  return described(orNull(z.number().check(z.gt(0), z.lte(100))), description);
}

const strategySchema = z.strictObject({
  name: described(
    z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    "Built-in strategy: rsi, rsi_macd, scalping, trend_following, sma_cross or rules; set this or module",
  ),
  module: described(
    z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    "User strategy file under strategies/, e.g. strategies/my_idea.ts; set this or name",
  ),
  params: described(
    z._default(z.record(z.string(), z.unknown()), {}),
    "Strategy parameters, validated by the strategy's own schema; omitted keys take its defaults",
  ),
});

const riskSchema = described(
  z.prefault(
    z.strictObject({
      stake_pct: described(
        orNull(z.number().check(z.gt(0), z.lte(100))),
        "Share of free quote balance per entry, in %; 95 when neither stake_pct nor stake_amount is set",
      ),
      stake_amount: described(
        orNull(z.number().check(z.gt(0), z.lte(1e12))),
        "Fixed stake per entry in quote currency; set this or stake_pct, not both",
      ),
      stop_loss_pct: pct("Stop-loss distance below entry, in %; null = off"),
      take_profit_pct: described(
        orNull(z.number().check(z.gt(0), z.lte(1000))),
        "Take-profit distance above entry, in %; must exceed stop_loss_pct; null = off",
      ),
      trailing_stop_pct: pct(
        "Trailing stop distance below the highest price since entry, in %; null = off",
      ),
      max_drawdown_pct: pct(
        "Equity drawdown from peak, in %, that halts new entries; null = off",
      ),
      daily_loss_limit_pct: pct(
        "Loss within one UTC day, in % of day-start equity, that halts entries for the day; null = off",
      ),
      max_open_positions: described(
        z._default(z.int().check(z.gte(1), z.lte(100)), 1),
        "Most positions open at once for this instance",
      ),
      stop_on_exchange: described(
        z._default(z.boolean(), false),
        "Live only: place the stop-loss as an order on the exchange instead of watching it locally",
      ),
      max_consecutive_failures: described(
        z._default(z.int().check(z.gte(1), z.lte(100)), 5),
        "Consecutive failed order attempts that halt new entries (status halted, exits only)",
      ),
    }),
    {},
  ),
  "Position sizing and limits; every limit can be switched off with null",
);

const accountSchema = described(
  z.prefault(
    z.strictObject({
      balance: described(
        z._default(z.number().check(z.gt(0), z.lte(1e12)), 10000),
        "Starting quote balance for backtest and paper trading",
      ),
    }),
    {},
  ),
  "Simulated account",
);

const executionSchema = described(
  z.prefault(
    z.strictObject({
      fee_pct: described(
        orNull(z.number().check(z.gte(0), z.lte(10))),
        "Fee per fill in % of notional; null = taker fee from the exchange's market data, else 0.1",
      ),
      slippage_bps: described(
        z._default(z.number().check(z.gte(0), z.lte(1000)), 5),
        "Market order price moved against us, in basis points (1 bps = 0.01 %)",
      ),
      amount_step: described(
        orNull(z.number().check(z.gt(0), z.lte(1e6))),
        "Order amount step in base currency; null = from cached market data, else 1e-8",
      ),
      latency_candles: described(
        z._default(z.int().check(z.gte(0), z.lte(100)), 0),
        "Extra candles between a signal and its fill, to model a slow venue in backtests",
      ),
    }),
    {},
  ),
  "Fill model: fees, slippage and amount rounding",
);

const backtestSchema = described(
  z.prefault(
    z.strictObject({
      from: described(
        orNull(z.string().check(z.regex(CONFIG_DATE_PATTERN))),
        "First candle to test, YYYY-MM-DD or ISO 8601 (UTC); null = start of stored data",
      ),
      to: described(
        orNull(z.string().check(z.regex(CONFIG_DATE_PATTERN))),
        "End of the tested range (exclusive), YYYY-MM-DD or ISO 8601 (UTC); null = end of data",
      ),
    }),
    {},
  ),
  "Default backtest range; --from and --to override it",
);

const tradeSchema = described(
  z.prefault(
    z.strictObject({
      heartbeat_seconds: described(
        z._default(z.number().check(z.gte(1), z.lte(3600)), 5),
        "Seconds between heartbeats written to the DB by a running instance",
      ),
      close_delay_ms: described(
        z._default(z.int().check(z.gte(0), z.lte(60000)), 2000),
        "Wait after a candle's close before fetching it, so the exchange has finalised it",
      ),
      stop_check: described(
        z._default(z.enum(["candle", "ticker"]), "candle"),
        "Paper and live: check stops and take-profits on each closed candle, or also on the ticker",
      ),
      ticker_seconds: described(
        z._default(z.number().check(z.gte(1), z.lte(300)), 5),
        "With stop_check: ticker, seconds between ticker polls while a position is protected",
      ),
    }),
    {},
  ),
  "Live loop timing",
);

const optimizeSchema = described(
  z.prefault(
    z.strictObject({
      space: described(
        z._default(z.record(z.string(), z.string()), {}),
        "Search space of deno task optimize: key → from..to:step, e.g. strategy.params.fast: 5..30:5",
      ),
      objective: described(
        z._default(z.string().check(z.minLength(1), z.maxLength(64)), "sharpe"),
        "Report metric to optimise: sharpe, sortino, calmar, returnPct, profitFactor, sqn, …",
      ),
      direction: described(
        z._default(z.enum(["maximize", "minimize"]), "maximize"),
        "Whether the objective is maximised or minimised",
      ),
      method: described(
        z._default(z.enum(["grid", "random", "halving"]), "grid"),
        "grid tries every point; random samples points; halving drops the worst on growing windows",
      ),
      samples: described(
        z._default(z.int().check(z.gte(1), z.lte(100000)), 100),
        "random (and halving, when smaller than the grid): number of points drawn",
      ),
      seed: described(
        z._default(z.int().check(z.gte(0), z.lte(2147483647)), 1),
        "Seed of random and halving draws: the same seed gives the same points",
      ),
      min_trades: described(
        z._default(z.int().check(z.gte(0), z.lte(1000000)), 10),
        "Fewest trades a combination needs to be chosen as best",
      ),
    }),
    {},
  ),
  "deno task optimize: search space, objective and method; flags override",
);

/** A name from `known`; a misspelt one gets "did you mean". */
function oneOf(known: readonly string[], what: string) {
  return z.string().check(z.refine((value) => known.includes(value), {
    error: (issue) => `unknown ${what} "${issue.input}"; ${didYouMean(String(issue.input), known)}`,
  }));
}

function didYouMean(word: string, known: readonly string[]): string {
  const match = closestMatch(word, known);
  return match ? `did you mean "${match}"?` : `known: ${known.join(", ")}`;
}

const notifySchema = described(
  orNull(
    z.strictObject({
      events: described(
        orNull(z.array(oneOf(NOTIFY_EVENTS, "event"))),
        `Events to send: ${NOTIFY_EVENTS.join(" ")}; null = all but daily_summary (opt-in)`,
      ),
      channels: described(
        orNull(z.array(oneOf(NOTIFY_CHANNELS, "channel"))),
        `Channels to use (${NOTIFY_CHANNELS.join(" ")}), among those set in .env; null = all`,
      ),
      min_pnl_pct: described(
        orNull(z.number().check(z.gte(0), z.lte(1000))),
        "A fill that closes a trade is sent only when |pnl| reaches this %; null = every fill",
      ),
    }),
  ),
  "Paper and live: which events go to the channels set in .env; absent = every event but daily_summary",
);

/** The whole instance config (`config/strategies/*.yaml`). Unknown keys are errors. */
export const InstanceConfigSchema = z.strictObject({
  name: described(
    z.string().check(z.regex(INSTANCE_NAME_PATTERN), z.maxLength(64)),
    "Instance id, [a-z0-9-]+, unique across instances; default: the file name without extension",
  ),
  exchange: described(
    z.string().check(z.regex(/^[a-z0-9]+$/), z.maxLength(32)),
    "CCXT exchange id, e.g. binance (required)",
  ),
  symbol: described(
    z.string().check(z.regex(SYMBOL_PATTERN)),
    "Unified CCXT symbol BASE/QUOTE, e.g. BTC/USDT (required)",
  ),
  timeframe: described(
    z.enum(TIMEFRAMES),
    `Candle timeframe: ${TIMEFRAMES.join(" ")} (required)`,
  ),
  mode: described(
    z._default(z.enum(["paper", "live"]), "paper"),
    "paper simulates fills on live candles; live sends real orders",
  ),
  sandbox: described(
    z._default(z.boolean(), false),
    "Use the exchange's testnet, where CCXT has one",
  ),
  strategy: described(strategySchema, "Which strategy runs, and its parameters"),
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
