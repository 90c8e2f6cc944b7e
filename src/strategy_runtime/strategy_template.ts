/** The file `deno task new-strategy` writes: a small working strategy and its test. */

/** New strategy names: a valid file name and strategy name, lower-case. */
export const NEW_STRATEGY_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** `strategies/<name>.ts`: an SMA-cross strategy with every part of the contract explained. */
export function strategyTemplate(name: string): string {
  const className = name.split("_").map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  return `/**
 * ${name}: a complete user strategy in one file (from \`deno task new-strategy\`). Point a
 * config at it:
 *
 *   strategy:
 *     module: strategies/${name}.ts
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

class ${className} implements Strategy {
  readonly name = "${name}";
  // Candles to feed before the first decision can be trusted; live mode loads this many first,
  // and \`deno task check-strategy\` tells you when it is too short.
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
  name: "${name}",
  description: "${name}: enter on a fast/slow SMA golden cross, exit on the death cross.",
  params,
  check(values) {
    return values.fast >= values.slow
      ? [{ key: "fast", message: \`must be less than slow (\${values.slow}), got \${values.fast}\` }]
      : [];
  },
  create(values) {
    return new ${className}(values);
  },
});
`;
}

/** `strategies/<name>_test.ts`: backtests it on the bundled candles and asserts it trades. */
export function strategyTestTemplate(name: string): string {
  return `/** Tests of strategies/${name}.ts: a backtest on the bundled candles through the real engine. */
import assert from "node:assert/strict";
import { backtestSample } from "../src/strategy_testing.ts";
import strategy from "./${name}.ts";

Deno.test("${name} trades on the bundled BTC/USDT 1h candles", async () => {
  const { report } = await backtestSample(strategy);
  assert.ok(report.trades.length > 0, "it should trade at least once on a year of candles");
  for (const trade of report.trades) assert.ok(trade.exitTimeMs > trade.entryTimeMs);
});

Deno.test("${name} refuses a fast period that is not below the slow one", () => {
  const problems = strategy.check(strategy.params.parse({ fast: 30, slow: 10 }));
  assert.equal(problems[0]?.key, "fast");
});
`;
}
