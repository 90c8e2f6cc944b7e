/** `sma_cross`: enter when a fast SMA crosses above a slow one, exit on the opposite cross. */
import {
  type Candle,
  defineStrategy,
  enterOnce,
  exitOnce,
  NO_INTENTS,
  type OrderIntent,
  SmaPairCross,
  type Strategy,
  type StrategyContext,
  z,
} from "../strategy_api.ts";

const params = z.object({
  fast: z.number().int().min(2).max(500).default(10).describe("fast SMA period, in candles"),
  slow: z.number().int().min(3).max(2000).default(30).describe("slow SMA period, in candles"),
});

/** Validated `sma_cross` params. */
export type SmaCrossParams = z.infer<typeof params>;

const ENTER = enterOnce("fast SMA crossed above slow SMA");
const EXIT = exitOnce("fast SMA crossed below slow SMA");

/**
 * A cross is strict: fast[i-1] < slow[i-1] and fast[i] > slow[i]; the exit is the mirror.
 * Touching (equality on either candle) is not a cross.
 */
class SmaCross implements Strategy {
  readonly name = "sma_cross";
  readonly warmupCandles: number;
  /** Both SMAs and their cross (the same values as two `Sma` and a `Cross`). */
  readonly #smas: SmaPairCross;

  constructor(options: SmaCrossParams) {
    this.#smas = new SmaPairCross(options.fast, options.slow);
    // The slow SMA's first value comes at index slow - 1; a cross needs one more candle.
    this.warmupCandles = Math.max(options.fast, options.slow);
  }

  /** The intents of the last `onCandles` stop (the backtest's fast path over columns). */
  batchIntents: readonly OrderIntent[] = NO_INTENTS;

  onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
    return this.#next(candle.close, context.position !== null);
  }

  /** `onCandle` for each close of `[from, to)` until one yields intents; returns its index. */
  onCandles(columns: { readonly close: Float64Array }, from: number, to: number, held: boolean) {
    // `#next` yields intents exactly when the cross goes the way that changes the position.
    const at = this.#smas.scan(columns.close, from, to, held ? -1 : 1);
    if (at < to) this.batchIntents = held ? EXIT : ENTER;
    return at;
  }

  #next(close: number, held: boolean): readonly OrderIntent[] {
    const direction = this.#smas.update(close);
    if (direction === 1 && !held) return ENTER;
    if (direction === -1 && held) return EXIT;
    return NO_INTENTS;
  }
}

/** The `sma_cross` strategy definition. */
export const smaCrossDefinition = defineStrategy({
  name: "sma_cross",
  description: "Enter when the fast SMA crosses above the slow SMA; exit on the opposite cross.",
  params,
  check(values) {
    return values.fast >= values.slow
      ? [{ key: "fast", message: `must be less than slow (${values.slow}), got ${values.fast}` }]
      : [];
  },
  create(values) {
    return new SmaCross(values);
  },
});
