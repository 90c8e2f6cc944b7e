/** `trend_following`: Donchian breakout or EMA golden-cross entries with an ATR trailing stop. */
import {
  Atr,
  type Candle,
  Cross,
  defineStrategy,
  Donchian,
  Ema,
  exitOnce,
  NO_INTENTS,
  type OrderIntent,
  type Strategy,
  type StrategyContext,
  z,
} from "../strategy_api.ts";

const params = z.object({
  entry: z.enum(["donchian", "ema_cross"]).default("donchian")
    .describe(
      "donchian: close above the prior channel high; ema_cross: fast EMA crosses above slow",
    ),
  donchian_entry: z.number().int().min(2).max(1000).default(20)
    .describe("entry channel length: enter when the close exceeds the prior N candles' high"),
  donchian_exit: z.number().int().min(2).max(1000).default(10)
    .describe("exit channel length: exit when the close falls below the prior N candles' low"),
  ema_fast: z.number().int().min(2).max(1000).default(50).describe("fast EMA for ema_cross"),
  ema_slow: z.number().int().min(3).max(2000).default(200).describe("slow EMA for ema_cross"),
  atr_period: z.number().int().min(2).max(500).default(14).describe("ATR period (Wilder)"),
  atr_multiplier: z.number().min(0.5).max(20).default(3)
    .describe("trailing stop distance below the highest high since entry, in ATRs"),
});

/** Validated `trend_following` params. */
export type TrendFollowingParams = z.infer<typeof params>;

const EXIT_CHANNEL = exitOnce("close below exit channel");
const EXIT_CROSS = exitOnce("fast EMA crossed below slow EMA");

/** The trailing stop rises with the highest high since entry and never falls. */
class TrendFollowing implements Strategy {
  readonly name = "trend_following";
  readonly warmupCandles: number;
  readonly #options: TrendFollowingParams;
  readonly #entryChannel: Donchian;
  readonly #exitChannel: Donchian;
  readonly #fast: Ema;
  readonly #slow: Ema;
  readonly #cross = new Cross();
  readonly #atr: Atr;
  #trackedEntryTimeMs = NaN;
  #highestSinceEntry = -Infinity;

  constructor(options: TrendFollowingParams) {
    this.#options = options;
    this.#entryChannel = new Donchian(options.donchian_entry);
    this.#exitChannel = new Donchian(options.donchian_exit);
    this.#fast = new Ema(options.ema_fast);
    this.#slow = new Ema(options.ema_slow);
    this.#atr = new Atr(options.atr_period);
    // Breakouts compare with the channel of the *previous* candles, crosses need two values.
    const signal = options.entry === "donchian"
      ? Math.max(options.donchian_entry, options.donchian_exit)
      : Math.max(options.ema_fast, options.ema_slow);
    this.warmupCandles = Math.max(signal, this.#atr.warmup);
  }

  onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
    const close = candle.close;
    const priorHigh = this.#entryChannel.upper;
    const priorLow = this.#exitChannel.lower;
    this.#entryChannel.update(candle);
    this.#exitChannel.update(candle);
    const direction = this.#cross.update(this.#fast.update(close), this.#slow.update(close));
    const atr = this.#atr.update(candle);
    const position = context.position;
    const donchian = this.#options.entry === "donchian";
    if (position === null) {
      this.#trackedEntryTimeMs = NaN;
      const breakout = donchian ? close > priorHigh : direction === 1;
      if (!breakout || atr !== atr) return NO_INTENTS;
      const stopLossPrice = close - this.#options.atr_multiplier * atr;
      return [{
        kind: "enter",
        reason: donchian ? "channel breakout" : "golden cross",
        stopLossPrice,
      }];
    }
    if (donchian ? close < priorLow : direction === -1) return donchian ? EXIT_CHANNEL : EXIT_CROSS;
    return this.#trail(candle, position.entryTimeMs, position.stopLossPrice, atr);
  }

  /** Emits `adjust_stops` only when the chandelier level rises above the current stop. */
  #trail(
    candle: Candle,
    entryTimeMs: number,
    stopLossPrice: number | null,
    atr: number,
  ): readonly OrderIntent[] {
    if (entryTimeMs !== this.#trackedEntryTimeMs) {
      this.#trackedEntryTimeMs = entryTimeMs;
      this.#highestSinceEntry = -Infinity;
    }
    if (candle.high > this.#highestSinceEntry) this.#highestSinceEntry = candle.high;
    const trail = this.#highestSinceEntry - this.#options.atr_multiplier * atr;
    if (!(trail > (stopLossPrice ?? -Infinity))) return NO_INTENTS;
    return [{ kind: "adjust_stops", reason: "ATR trailing stop", stopLossPrice: trail }];
  }
}

/** The `trend_following` strategy definition. */
export const trendFollowingDefinition = defineStrategy({
  name: "trend_following",
  description:
    "Enter on a Donchian breakout or an EMA golden cross; exit on the exit channel or death cross, trail an ATR stop.",
  params,
  check(values) {
    return values.ema_fast >= values.ema_slow
      ? [{
        key: "ema_fast",
        message: `must be less than ema_slow (${values.ema_slow}), got ${values.ema_fast}`,
      }]
      : [];
  },
  create(values) {
    return new TrendFollowing(values);
  },
});
