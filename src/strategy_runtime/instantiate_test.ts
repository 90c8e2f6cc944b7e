import assert from "node:assert/strict";
import fc from "fast-check";
import type { Candle, OrderIntent } from "../core/types.ts";
import { defineStrategy, NO_INTENTS, type StrategyContext, z } from "../strategy_api.ts";
import { instantiateStrategy } from "./instantiate.ts";

const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2024, 0, 1);

/** A strategy that records what it was handed of each higher timeframe. */
function recorder(seen: { candle: Candle; higher: StrategyContext["higher"] }[]) {
  return defineStrategy({
    name: "recorder",
    description: "records context.higher",
    params: z.object({}),
    timeframes: ["4h", "1d"],
    create: () => ({
      name: "recorder",
      warmupCandles: 0,
      onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
        seen.push({ candle, higher: { ...context.higher } });
        return NO_INTENTS;
      },
    }),
  });
}

const series = fc.array(
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.double({ min: 1, max: 1e4, noNaN: true })),
  {
    minLength: 1,
    maxLength: 120,
  },
).map((steps) => {
  let t = START_MS;
  return steps.map(([gap, price]) => {
    t += gap * HOUR_MS; // gaps of up to two missing hours
    return {
      openTimeMs: t,
      open: price,
      high: price * 1.01,
      low: price * 0.99,
      close: price,
      volume: 1,
    };
  });
});

Deno.test("a strategy's higher timeframes hold only candles closed by the base candle's close", () => {
  fc.assert(fc.property(series, (candles) => {
    const seen: { candle: Candle; higher: StrategyContext["higher"] }[] = [];
    const strategy = instantiateStrategy(recorder(seen), {}, "1h");
    for (const candle of candles) {
      strategy.onCandle(candle, { position: null, closeTimeMs: candle.openTimeMs + HOUR_MS });
    }
    for (const { candle, higher } of seen) {
      const closeMs = candle.openTimeMs + HOUR_MS;
      for (const [tf, lengthMs] of [["4h", 4 * HOUR_MS], ["1d", 24 * HOUR_MS]] as const) {
        const bar = higher![tf];
        if (bar === null) continue;
        assert.ok(bar.openTimeMs + lengthMs <= closeMs, `${tf} candle not closed yet`);
        const inside = candles.filter((c) =>
          c.openTimeMs >= bar.openTimeMs && c.openTimeMs < bar.openTimeMs + lengthMs
        );
        assert.equal(bar.close, inside.at(-1)!.close, `${tf} close is its last base candle's`);
        assert.equal(bar.high, Math.max(...inside.map((c) => c.high)));
      }
    }
  }));
});

Deno.test("a strategy that declares no timeframes gets no higher candles and its own instance", () => {
  const definition = defineStrategy({
    name: "plain",
    description: "plain",
    params: z.object({}),
    create: () => ({ name: "plain", warmupCandles: 3, onCandle: () => NO_INTENTS }),
  });
  const strategy = instantiateStrategy(definition, {}, "1h");
  assert.equal(strategy.warmupCandles, 3);
  assert.deepEqual(definition.timeframes, []);
});
