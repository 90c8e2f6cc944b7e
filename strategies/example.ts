/**
 * example: a complete user strategy in one file (from `deno task new-strategy`). Point a
 * config at it:
 *
 *   strategy:
 *     module: strategies/example.ts
 *     params: { fast: 10, slow: 30 }
 *
 * A strategy sees only closed candles, its own position and the time. It answers each candle
 * with intents (enter, exit, adjust_stops); the risk section sizes them and the venue fills them
 * at the next candle's open. It runs in a sandbox: no network, no environment, no files outside
 * strategies/. Import only from the strategy API (and other files under strategies/).
 */
import {
  type Candle,
  Cross,
  defineStrategy,
  enterOnce,
  exitOnce,
  NO_INTENTS,
  type OrderIntent,
  Sma,
  type Strategy,
  type StrategyContext,
  z,
} from "../src/strategy_api.ts";

// Params: every key needs a default and bounds; the config's strategy.params are checked
// against this schema, and a bad value names the config file, line and key.
const params = z.object({
  fast: z.number().int().min(2).max(500).default(10).describe("fast SMA period, in candles"),
  slow: z.number().int().min(3).max(2000).default(30).describe("slow SMA period, in candles"),
});

type Params = z.infer<typeof params>;

// Intents are built once: returning shared frozen lists keeps the hot path allocation-free.
const ENTER = enterOnce("fast SMA crossed above slow SMA");
const EXIT = exitOnce("fast SMA crossed below slow SMA");

class Example implements Strategy {
  readonly name = "example";
  // Candles to feed before the first decision can be trusted; live mode loads this many first,
  // and `deno task check-strategy` tells you when it is too short.
  readonly warmupCandles: number;
  readonly #fast: Sma;
  readonly #slow: Sma;
  readonly #cross = new Cross();

  constructor(options: Params) {
    this.#fast = new Sma(options.fast);
    this.#slow = new Sma(options.slow);
    this.warmupCandles = Math.max(options.fast, options.slow);
  }

  // Called once per closed candle, oldest first. State lives in the instance; decisions must
  // depend only on the candles seen so far (no Math.random(), no clock).
  onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
    const fast = this.#fast.update(candle.close);
    const slow = this.#slow.update(candle.close);
    const direction = this.#cross.update(fast, slow);
    // Spot is long-only: enter only while flat, exit only while holding.
    if (direction === 1 && context.position === null) return ENTER;
    if (direction === -1 && context.position !== null) return EXIT;
    return NO_INTENTS;
  }
}

// The default export is the definition: name, description, params, an optional cross-field
// check, and create(), which builds a fresh instance for each run.
export default defineStrategy({
  name: "example",
  description: "example: enter on a fast/slow SMA golden cross, exit on the death cross.",
  params,
  check(values) {
    return values.fast >= values.slow
      ? [{ key: "fast", message: `must be less than slow (${values.slow}), got ${values.fast}` }]
      : [];
  },
  create(values) {
    return new Example(values);
  },
});
