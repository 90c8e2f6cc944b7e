import fc from "fast-check";
import assert from "node:assert/strict";
import { z } from "zod";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { getStrategyDefinition, strategyNames } from "./registry.ts";
import type { StrategyDefinition } from "../strategy_api.ts";
import { countIntents, runStrategy } from "../../tests/support/run_strategy.ts";

const HOUR_MS = 3_600_000;
/** The bundled market each strategy's defaults are tuned for. */
const MARKETS: Record<string, { file: string; timeframe: string; timeframeMs: number }> = {
  rsi: { file: "binance_BTC-USDT_1h.csv", timeframe: "1h", timeframeMs: HOUR_MS },
  rsi_macd: { file: "binance_BTC-USDT_1h.csv", timeframe: "1h", timeframeMs: HOUR_MS },
  sma_cross: { file: "binance_BTC-USDT_1h.csv", timeframe: "1h", timeframeMs: HOUR_MS },
  trend_following: { file: "binance_BTC-USDT_1h.csv", timeframe: "1h", timeframeMs: HOUR_MS },
  scalping: { file: "binance_ETH-USDT_15m.csv", timeframe: "15m", timeframeMs: HOUR_MS / 4 },
  rules: { file: "binance_BTC-USDT_1h.csv", timeframe: "1h", timeframeMs: HOUR_MS },
};

/** Params a strategy cannot do without (the rules' expressions); the others need none. */
const REQUIRED_PARAMS: Record<string, Record<string, unknown>> = {
  rules: {
    fast: 10,
    slow: 30,
    enter: "crosses_above(sma(close, fast), sma(close, slow))",
    exit: "crosses_below(sma(close, fast), sma(close, slow))",
  },
};

function definition(name: string): StrategyDefinition {
  const found = getStrategyDefinition(name);
  assert.ok(found, `strategy ${name} is registered`);
  return found;
}

function runDefaults(name: string, candles = loadSampleCandles(MARKETS[name].file)) {
  const strategyDefinition = definition(name);
  const params = strategyDefinition.params.parse(REQUIRED_PARAMS[name] ?? {});
  const strategy = strategyDefinition.create(params, { timeframe: MARKETS[name].timeframe });
  return runStrategy(strategy, candles, { timeframeMs: MARKETS[name].timeframeMs });
}

Deno.test("registry names exactly the six shipped strategies and nothing else", () => {
  assert.deepEqual(strategyNames(), [
    "rsi",
    "rsi_macd",
    "rules",
    "scalping",
    "sma_cross",
    "trend_following",
  ]);
  assert.equal(getStrategyDefinition("no_such_strategy"), undefined);
  for (const name of strategyNames()) assert.equal(definition(name).name, name);
});

Deno.test("registry strategies give every param a default, bounds and a description", () => {
  for (const name of strategyNames()) {
    const { params, check } = definition(name);
    const required = REQUIRED_PARAMS[name] ?? {};
    const defaults = params.parse(required);
    assert.deepEqual(check(defaults), [], `${name} defaults pass check`);
    for (const [key, schema] of Object.entries(params.shape)) {
      assert.ok(schema.description && schema.description.length > 5, `${name}.${key} describes`);
      if (!(schema instanceof z.ZodDefault)) {
        assert.ok(key in required, `${name}.${key} has a default or is listed as required`);
        const { [key]: _, ...without } = required;
        assert.equal(params.safeParse(without).success, false, `${name}.${key} is required`);
        continue;
      }
      const unwrapped = schema.unwrap();
      const inner = unwrapped instanceof z.ZodNullable ? unwrapped.unwrap() : unwrapped;
      if (inner instanceof z.ZodNumber) {
        const { minValue, maxValue } = inner;
        assert.ok(Number.isFinite(minValue) && Number.isFinite(maxValue), `${name}.${key} bounds`);
        const value = defaults[key] as number | null;
        if (value !== null) {
          assert.ok(value >= minValue! && value <= maxValue!, `${name}.${key} default in bounds`);
        }
        assert.equal(params.safeParse({ ...required, [key]: minValue! - 1 }).success, false);
        assert.equal(params.safeParse({ ...required, [key]: maxValue! + 1 }).success, false);
      } else if (inner instanceof z.ZodEnum) {
        assert.equal(params.safeParse({ ...required, [key]: "no_such_option" }).success, false);
      } else {
        assert.ok(inner instanceof z.ZodString, `${name}.${key} is a number, an enum or a rule`);
      }
    }
    const extra = params.safeParse({ ...required, no_such_key: 1 }).success;
    assert.equal(extra, true, "unknown keys: config's job");
  }
});

for (const name of Object.keys(MARKETS)) {
  Deno.test(`${name} enters and exits on bundled real candles with defaults`, () => {
    const counts = countIntents(runDefaults(name));
    assert.ok(counts.enter >= 5, `${name} entries: ${counts.enter}`);
    assert.ok(counts.exit >= 3, `${name} exits: ${counts.exit}`);
  });

  Deno.test(`${name} is deterministic: a second run returns identical decisions`, () => {
    assert.deepEqual(runDefaults(name), runDefaults(name));
  });

  Deno.test(`${name} has no lookahead: a cut run decides the same up to the cut (property)`, () => {
    const candles = loadSampleCandles(MARKETS[name].file).slice(0, 3000);
    const full = runDefaults(name, candles);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: candles.length }), (cut) => {
        const prefix = runDefaults(name, candles.slice(0, cut));
        assert.deepEqual(prefix, full.filter((decision) => decision.index < cut));
      }),
      { numRuns: 25 },
    );
  });
}
