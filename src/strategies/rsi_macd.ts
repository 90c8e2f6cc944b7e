/** `rsi_macd`: an oversold RSI confirmed by a bullish MACD cross; exit on overbought or bear cross. */
import {
  type Candle,
  Cross,
  defineStrategy,
  enterOnce,
  exitOnce,
  Macd,
  NO_INTENTS,
  type OrderIntent,
  RollingMin,
  Rsi,
  type Strategy,
  type StrategyContext,
  z,
} from "../strategy_api.ts";

const params = z.object({
  rsi_period: z.number().int().min(2).max(500).default(14).describe("RSI period (Wilder)"),
  oversold: z.number().min(1).max(50).default(35).describe("RSI level that arms an entry"),
  overbought: z.number().min(50).max(99).default(70).describe("exit when RSI closes above this"),
  confirm_candles: z.number().int().min(1).max(100).default(10)
    .describe("RSI must have closed below oversold within this many candles of the MACD cross"),
  macd_fast: z.number().int().min(2).max(500).default(12).describe("MACD fast EMA period"),
  macd_slow: z.number().int().min(3).max(1000).default(26).describe("MACD slow EMA period"),
  macd_signal: z.number().int().min(2).max(500).default(9).describe("MACD signal EMA period"),
});

/** Validated `rsi_macd` params. */
export type RsiMacdParams = z.infer<typeof params>;

const ENTER = enterOnce("MACD crossed above signal after RSI oversold");
const EXIT_OVERBOUGHT = exitOnce("RSI above overbought");
const EXIT_CROSS = exitOnce("MACD crossed below signal");

/** Enter on a strict MACD/signal up-cross when the lowest recent RSI was below oversold. */
class RsiMacd implements Strategy {
  readonly name = "rsi_macd";
  readonly warmupCandles: number;
  readonly #rsi: Rsi;
  readonly #lowestRsi: RollingMin;
  readonly #macd: Macd;
  readonly #cross = new Cross();
  readonly #oversold: number;
  readonly #overbought: number;

  constructor(options: RsiMacdParams) {
    this.#rsi = new Rsi(options.rsi_period);
    this.#lowestRsi = new RollingMin(options.confirm_candles);
    const { macd_fast: fast, macd_slow: slow, macd_signal: signal } = options;
    this.#macd = new Macd({ fast, slow, signal });
    this.#oversold = options.oversold;
    this.#overbought = options.overbought;
    // A cross needs one candle with a signal value before it.
    this.warmupCandles = Math.max(this.#macd.signalWarmup + 1, this.#rsi.warmup);
  }

  onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
    const rsi = this.#rsi.update(candle.close);
    // Warm-up NaNs would make the window minimum NaN-blind, so feed +Infinity instead.
    const lowestRsi = this.#lowestRsi.update(rsi === rsi ? rsi : Infinity);
    const line = this.#macd.update(candle.close);
    const direction = this.#cross.update(line, this.#macd.signal);
    if (context.position === null) {
      return direction === 1 && lowestRsi < this.#oversold ? ENTER : NO_INTENTS;
    }
    if (rsi > this.#overbought) return EXIT_OVERBOUGHT;
    return direction === -1 ? EXIT_CROSS : NO_INTENTS;
  }
}

/** The `rsi_macd` strategy definition. */
export const rsiMacdDefinition = defineStrategy({
  name: "rsi_macd",
  description:
    "Enter on a MACD/signal up-cross shortly after RSI was oversold; exit on overbought RSI or a MACD down-cross.",
  params,
  check(values) {
    const problems: { key: string; message: string }[] = [];
    if (values.macd_fast >= values.macd_slow) {
      problems.push({
        key: "macd_fast",
        message: `must be less than macd_slow (${values.macd_slow}), got ${values.macd_fast}`,
      });
    }
    if (values.oversold >= values.overbought) {
      problems.push({
        key: "oversold",
        message: `must be less than overbought (${values.overbought}), got ${values.oversold}`,
      });
    }
    return problems;
  },
  create(values) {
    return new RsiMacd(values);
  },
});
