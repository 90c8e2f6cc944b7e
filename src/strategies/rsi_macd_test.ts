import assert from "node:assert/strict";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { Macd, Rsi } from "../indicators/mod.ts";
import { rsiMacdDefinition } from "./rsi_macd.ts";
import { runStrategy } from "../../tests/support/run_strategy.ts";

const candles = loadSampleCandles("binance_BTC-USDT_1h.csv");
const params = rsiMacdDefinition.params.parse({});

Deno.test("rsi_macd enters only on a MACD up-cross with RSI oversold in the confirm window", () => {
  const decisions = runStrategy(rsiMacdDefinition.create(params, { timeframe: "1h" }), candles, {
    timeframeMs: 3_600_000,
  });
  const rsi = new Rsi(params.rsi_period);
  const macd = new Macd({
    fast: params.macd_fast,
    slow: params.macd_slow,
    signal: params.macd_signal,
  });
  const rsiValues: number[] = [], lines: number[] = [], signals: number[] = [];
  for (const candle of candles) {
    rsiValues.push(rsi.update(candle.close));
    lines.push(macd.update(candle.close));
    signals.push(macd.signal);
  }
  const enters = decisions.filter((d) => d.intents[0].kind === "enter");
  assert.ok(enters.length > 0);
  for (const { index: i } of enters) {
    assert.ok(lines[i - 1] < signals[i - 1] && lines[i] > signals[i], `up-cross at ${i}`);
    const window = rsiValues.slice(i - params.confirm_candles + 1, i + 1);
    assert.ok(Math.min(...window) < params.oversold, `RSI confirmation at ${i}`);
  }
  for (const { index: i } of decisions.filter((d) => d.intents[0].kind === "exit")) {
    const bearCross = lines[i - 1] > signals[i - 1] && lines[i] < signals[i];
    assert.ok(rsiValues[i] > params.overbought || bearCross, `exit reason at ${i}`);
  }
});

Deno.test("rsi_macd check rejects macd_fast >= macd_slow and oversold >= overbought", () => {
  assert.deepEqual(rsiMacdDefinition.check(params), []);
  const keys = rsiMacdDefinition.check({ ...params, macd_fast: 26, oversold: 80 })
    .map((problem) => problem.key);
  assert.deepEqual(keys, ["macd_fast", "oversold"]);
});
