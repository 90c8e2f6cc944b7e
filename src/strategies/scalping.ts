/** `scalping`: pull-back entries in a short-term up-trend with tight stops and a time exit. */
import {
  BollingerBands,
  type Candle,
  defineStrategy,
  Ema,
  exitOnce,
  NO_INTENTS,
  type OrderIntent,
  Rsi,
  type Strategy,
  type StrategyContext,
  z,
} from "../strategy_api.ts";

const params = z.object({
  trend_ema: z.number().int().min(2).max(500).default(50)
    .describe("EMA period of the trend filter: entries only while the close is above this EMA"),
  entry: z.enum(["bollinger", "rsi"]).default("bollinger")
    .describe("pull-back trigger: low below the lower Bollinger band, or RSI below rsi_oversold"),
  bb_period: z.number().int().min(2).max(500).default(20).describe("Bollinger Bands period"),
  bb_multiplier: z.number().min(0.5).max(5).default(2)
    .describe("Bollinger band width, in standard deviations"),
  rsi_period: z.number().int().min(2).max(500).default(7).describe("RSI period for entry: rsi"),
  rsi_oversold: z.number().min(1).max(50).default(25).describe("RSI level for entry: rsi"),
  take_profit_pct: z.number().min(0.05).max(20).default(1)
    .describe("take-profit distance above the signal close, in percent"),
  stop_loss_pct: z.number().min(0.05).max(20).default(0.7)
    .describe("stop-loss distance below the signal close, in percent"),
  max_hold_candles: z.number().int().min(1).max(10000).default(12)
    .describe("exit after holding this many candles"),
});

/** Validated `scalping` params. */
export type ScalpingParams = z.infer<typeof params>;

const EXIT_TIME = exitOnce("held for max_hold_candles");

/**
 * Enters on a pull-back while the close holds above the trend EMA (which is the same as the EMA
 * rising); the venue handles the stop and the target, the strategy the time exit.
 */
class Scalping implements Strategy {
  readonly name = "scalping";
  readonly warmupCandles: number;
  readonly #options: ScalpingParams;
  readonly #trend: Ema;
  readonly #bands: BollingerBands;
  readonly #rsi: Rsi;
  #heldEntryTimeMs = NaN;
  #heldCandles = 0;

  constructor(options: ScalpingParams) {
    this.#options = options;
    this.#trend = new Ema(options.trend_ema);
    this.#bands = new BollingerBands(options.bb_period, { multiplier: options.bb_multiplier });
    this.#rsi = new Rsi(options.rsi_period);
    const trigger = options.entry === "bollinger" ? this.#bands.warmup : this.#rsi.warmup;
    this.warmupCandles = Math.max(this.#trend.warmup, trigger);
  }

  onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
    const close = candle.close;
    const uptrend = close > this.#trend.update(close);
    this.#bands.update(close);
    const rsi = this.#rsi.update(close);
    const position = context.position;
    if (position !== null) return this.#holdOrExit(position.entryTimeMs);
    this.#heldEntryTimeMs = NaN;
    const options = this.#options;
    const pullBack = options.entry === "bollinger"
      ? candle.low < this.#bands.lower
      : rsi < options.rsi_oversold;
    if (!uptrend || !pullBack) return NO_INTENTS;
    return [{
      kind: "enter",
      reason: options.entry === "bollinger" ? "pull-back below lower band" : "pull-back RSI",
      stopLossPrice: close * (1 - options.stop_loss_pct / 100),
      takeProfitPrice: close * (1 + options.take_profit_pct / 100),
    }];
  }

  /** Counts candles seen in this position (keyed by its entry time) and exits at the limit. */
  #holdOrExit(entryTimeMs: number): readonly OrderIntent[] {
    if (entryTimeMs !== this.#heldEntryTimeMs) {
      this.#heldEntryTimeMs = entryTimeMs;
      this.#heldCandles = 0;
    }
    this.#heldCandles++;
    return this.#heldCandles >= this.#options.max_hold_candles ? EXIT_TIME : NO_INTENTS;
  }
}

/** The `scalping` strategy definition. */
export const scalpingDefinition = defineStrategy({
  name: "scalping",
  description:
    "For 1m-15m: buy a pull-back (low under the lower Bollinger band, or low RSI) above a trend EMA; tight take-profit and stop, time exit.",
  params,
  check() {
    return [];
  },
  create(values) {
    return new Scalping(values);
  },
});
