/**
 * `rules`: a strategy written in the config. `enter` and `exit` are conditions over the candle
 * series, indicators and named params; `stop` and `take_profit` optional prices for each entry.
 * They are compiled once into a shared graph of streaming indicators (see compile_rules.ts).
 */
import {
  type Candle,
  defineStrategy,
  enterOnce,
  exitOnce,
  NO_INTENTS,
  type OrderIntent,
  type Strategy,
  type StrategyContext,
  z,
} from "../../strategy_api.ts";
import { type CompiledRules, compileRules } from "./compile_rules.ts";
import type { RuleGraph } from "./rule_graph.ts";

const params = z.object({
  enter: z.string().describe(
    "condition checked on each closed candle while flat; true enters, e.g. " +
      "crosses_above(sma(close, fast), sma(close, slow))",
  ),
  exit: z.string().describe("condition checked on each closed candle while holding; true exits"),
  stop: z.string().nullable().default(null)
    .describe("absolute stop price for each entry, e.g. close - 2 * atr(14); null: risk's"),
  take_profit: z.string().nullable().default(null)
    .describe("absolute take-profit price for each entry; null: the risk section's"),
  warmup: z.number().int().min(0).max(100_000).nullable().default(null)
    .describe("candles before the first decision; null derives it from the expressions"),
}).catchall(
  // Checked by compileRules, which can tell a misspelt expression key from a named number.
  z.unknown().describe("a named number the expressions can use, e.g. fast: 10"),
);

/** Validated `rules` params: the fixed keys plus any named numbers. */
export type RulesParams = z.infer<typeof params>;

/** `enter rule: crosses_above(…)`, cut to a length that fits a log line. */
function reason(kind: string, text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return `${kind} rule: ${flat.length > 60 ? `${flat.slice(0, 59)}…` : flat}`;
}

/** Evaluates the graph on every candle; decides only once the warm-up has passed. */
class RulesStrategy implements Strategy {
  readonly name = "rules";
  readonly warmupCandles: number;
  readonly #rules: CompiledRules;
  readonly #graph: RuleGraph;
  readonly #enter: readonly OrderIntent[];
  readonly #enterReason: string;
  readonly #exit: readonly OrderIntent[];
  #seen = 0;

  constructor(rules: CompiledRules, values: RulesParams) {
    this.#rules = rules;
    this.#graph = rules.plan.instantiate();
    this.warmupCandles = rules.warmupCandles;
    this.#enterReason = reason("enter", values.enter);
    this.#enter = enterOnce(this.#enterReason);
    this.#exit = exitOnce(reason("exit", values.exit));
  }

  onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
    this.#graph.update(candle, context);
    if (this.#seen < this.warmupCandles) {
      this.#seen++;
      return NO_INTENTS;
    }
    const values = this.#graph.values;
    if (context.position !== null) {
      return values[this.#rules.exit.slot] === 1 ? this.#exit : NO_INTENTS;
    }
    if (values[this.#rules.enter.slot] !== 1) return NO_INTENTS;
    const { stop, takeProfit } = this.#rules;
    if (stop === null && takeProfit === null) return this.#enter;
    return [{
      kind: "enter",
      reason: this.#enterReason,
      ...price("stopLossPrice", stop === null ? NaN : values[stop.slot]),
      ...price("takeProfitPrice", takeProfit === null ? NaN : values[takeProfit.slot]),
    }];
  }
}

/** `{ [key]: value }` when the value is a usable price; else nothing (the risk section's applies). */
function price(key: "stopLossPrice" | "takeProfitPrice", value: number) {
  return value > 0 && value < Infinity ? { [key]: value } : {};
}

/** The `rules` strategy definition. */
export const rulesDefinition = defineStrategy({
  name: "rules",
  description:
    "Enter and exit on conditions written in the config (indicators, crosses, params), " +
    "with optional stop and take-profit prices.",
  params,
  check(values) {
    return compileRules(values).problems;
  },
  create(values) {
    const { rules, problems } = compileRules(values);
    if (rules === null) {
      throw new RangeError(
        `Cannot create rules strategy: ${problems[0].key}: ${problems[0].message}`,
      );
    }
    return new RulesStrategy(rules, values);
  },
});
