/** `rsi`: enter when RSI falls below oversold, exit when it rises above overbought. */
import {
  type Candle,
  defineStrategy,
  enterOnce,
  exitOnce,
  NO_INTENTS,
  type OrderIntent,
  Rsi,
  type Strategy,
  type StrategyContext,
  z,
} from "../strategy_api.ts";

const params = z.object({
  period: z.number().int().min(2).max(500).default(14).describe("RSI period (Wilder), in candles"),
  oversold: z.number().min(1).max(50).default(30).describe("enter when RSI closes below this"),
  overbought: z.number().min(50).max(99).default(70).describe("exit when RSI closes above this"),
});

/** Validated `rsi` params. */
export type RsiParams = z.infer<typeof params>;

const ENTER = enterOnce("RSI below oversold");
const EXIT = exitOnce("RSI above overbought");

/** Level rule, not a cross: every flat candle with RSI < oversold is an entry signal. */
class RsiStrategy implements Strategy {
  readonly name = "rsi";
  readonly warmupCandles: number;
  readonly #rsi: Rsi;
  readonly #oversold: number;
  readonly #overbought: number;

  constructor(options: RsiParams) {
    this.#rsi = new Rsi(options.period);
    this.#oversold = options.oversold;
    this.#overbought = options.overbought;
    this.warmupCandles = this.#rsi.warmup;
  }

  /** The intents of the last `onCandles` stop (the backtest's fast path over columns). */
  batchIntents: readonly OrderIntent[] = NO_INTENTS;

  onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
    return this.#next(candle.close, context.position !== null);
  }

  /** `onCandle` for each close of `[from, to)` until one yields intents; returns its index. */
  onCandles(columns: { readonly close: Float64Array }, from: number, to: number, held: boolean) {
    const close = columns.close;
    const rsi = this.#rsi;
    // The two loops are `#next` for a flat and for a held position.
    if (held) {
      const overbought = this.#overbought;
      for (let i = from; i < to; i++) {
        if (rsi.update(close[i]) > overbought) {
          this.batchIntents = EXIT;
          return i;
        }
      }
    } else {
      const oversold = this.#oversold;
      for (let i = from; i < to; i++) {
        if (rsi.update(close[i]) < oversold) {
          this.batchIntents = ENTER;
          return i;
        }
      }
    }
    return to;
  }

  #next(close: number, held: boolean): readonly OrderIntent[] {
    const rsi = this.#rsi.update(close);
    if (!held) return rsi < this.#oversold ? ENTER : NO_INTENTS;
    return rsi > this.#overbought ? EXIT : NO_INTENTS;
  }
}

/** The `rsi` strategy definition. */
export const rsiDefinition = defineStrategy({
  name: "rsi",
  description: "Enter when RSI closes below oversold; exit when it closes above overbought.",
  params,
  check(values) {
    return values.oversold >= values.overbought
      ? [{
        key: "oversold",
        message: `must be less than overbought (${values.overbought}), got ${values.oversold}`,
      }]
      : [];
  },
  create(values) {
    return new RsiStrategy(values);
  },
});
