/** Builds a strategy instance from a definition, with its higher timeframes wired in. */
import type { Candle, OrderIntent } from "../core/types.ts";
import type { Strategy, StrategyContext } from "../core/ports.ts";
import type { StrategyDefinition } from "../strategy_api.ts";
import { CandleAggregator } from "../timeframes/resample.ts";
import type { Timeframe } from "../core/timeframe.ts";

/** A fresh instance of `definition` on `timeframe`; params must already be parsed. */
export function instantiateStrategy(
  definition: StrategyDefinition,
  params: Record<string, unknown>,
  timeframe: string,
): Strategy {
  const strategy = definition.create(params, { timeframe });
  if (definition.timeframes.length === 0) return strategy;
  return new WithHigherTimeframes(strategy, timeframe as Timeframe, definition.timeframes);
}

/**
 * Hands the inner strategy, on each base candle, the last closed candle of every declared
 * timeframe. The aggregators see only candles the strategy has been given, so a higher candle
 * reaches it only once its close time has passed.
 */
class WithHigherTimeframes implements Strategy {
  readonly name: string;
  readonly warmupCandles: number;
  readonly #inner: Strategy;
  readonly #aggregators: readonly (readonly [string, CandleAggregator])[];
  readonly #higher: Record<string, Candle | null> = {};

  constructor(inner: Strategy, base: Timeframe, timeframes: readonly string[]) {
    this.#inner = inner;
    this.name = inner.name;
    this.warmupCandles = inner.warmupCandles;
    this.#aggregators = timeframes.map((tf) => [tf, new CandleAggregator(base, tf as Timeframe)]);
    for (const tf of timeframes) this.#higher[tf] = null;
  }

  onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
    for (const [tf, aggregator] of this.#aggregators) this.#higher[tf] = aggregator.update(candle);
    return this.#inner.onCandle(candle, { ...context, higher: this.#higher });
  }
}
