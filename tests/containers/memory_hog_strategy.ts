/**
 * A user strategy with a memory leak, for the container test: the kind of bug a person can ship
 * in strategies/. From the `grow_after`th candle it has seen, every candle keeps another
 * `grow_mb` MB buffer alive (written to, so the pages are really resident) and never lets go, so
 * the trader process grows until the container's memory limit kills it. It trades nothing.
 * The container test copies it to its own strategies/ directory (import path adjusted) and runs
 * it as a normal instance: sandboxed in its Worker like every strategy, no test hook in the trader.
 */
import {
  type Candle,
  defineStrategy,
  NO_INTENTS,
  type OrderIntent,
  type Strategy,
  z,
} from "../../src/strategy_api.ts";

const params = z.object({
  grow_after: z.number().int().min(1).max(10_000).default(4).describe(
    "candles seen before the leak starts",
  ),
  grow_mb: z.number().int().min(1).max(1024).default(96).describe("MB kept per candle after that"),
});

type Params = z.infer<typeof params>;

class MemoryHog implements Strategy {
  readonly name = "memory_hog";
  readonly warmupCandles = 2;
  readonly #leak: Uint8Array[] = [];
  readonly #options: Params;
  #seen = 0;

  constructor(options: Params) {
    this.#options = options;
  }

  onCandle(_candle: Candle): readonly OrderIntent[] {
    this.#seen++;
    if (this.#seen >= this.#options.grow_after) {
      this.#leak.push(new Uint8Array(this.#options.grow_mb * 1024 * 1024).fill(this.#seen % 251));
    }
    return NO_INTENTS;
  }
}

export default defineStrategy({
  name: "memory_hog",
  description: "memory_hog: trades nothing and keeps grow_mb MB more per candle (a leak).",
  params,
  create(values) {
    return new MemoryHog(values);
  },
});
