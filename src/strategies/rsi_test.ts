import assert from "node:assert/strict";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { Rsi } from "../indicators/mod.ts";
import { rsiDefinition } from "./rsi.ts";
import { runStrategy } from "../../tests/support/run_strategy.ts";

const candles = loadSampleCandles("binance_BTC-USDT_1h.csv");

Deno.test("rsi enters on every flat candle below oversold and exits above overbought", () => {
  const params = rsiDefinition.params.parse({});
  const decisions = runStrategy(rsiDefinition.create(params, { timeframe: "1h" }), candles, {
    timeframeMs: 3_600_000,
  });
  const rsi = new Rsi(params.period);
  const values = candles.map((candle) => rsi.update(candle.close));
  // Replay the position from the decisions and check the rule on every candle.
  let inPosition = false, pendingEnter = false, pendingExit = false;
  const byIndex = new Map(decisions.map((d) => [d.index, d.intents[0].kind]));
  values.forEach((value, i) => {
    if (pendingEnter) inPosition = true;
    if (pendingExit) inPosition = false;
    pendingEnter = pendingExit = false;
    const expected = !inPosition && value < params.oversold
      ? "enter"
      : inPosition && value > params.overbought
      ? "exit"
      : undefined;
    assert.equal(byIndex.get(i), expected, `candle ${i}, RSI ${value}`);
    pendingEnter = expected === "enter";
    pendingExit = expected === "exit";
  });
});

Deno.test("rsi check rejects oversold >= overbought", () => {
  assert.deepEqual(rsiDefinition.check({ period: 14, oversold: 30, overbought: 70 }), []);
  assert.equal(
    rsiDefinition.check({ period: 14, oversold: 50, overbought: 50 })[0].key,
    "oversold",
  );
  assert.equal(rsiDefinition.params.safeParse({ overbought: 100 }).success, false);
});
