import assert from "node:assert/strict";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { trendFollowingDefinition } from "./trend_following.ts";
import { countIntents, runStrategy } from "../../tests/support/run_strategy.ts";

const candles = loadSampleCandles("binance_BTC-USDT_1h.csv");
const params = trendFollowingDefinition.params.parse({});

function run(overrides: Partial<typeof params> = {}) {
  const strategy = trendFollowingDefinition.create({ ...params, ...overrides }, {
    timeframe: "1h",
  });
  return runStrategy(strategy, candles, { timeframeMs: 3_600_000 });
}

Deno.test("trend_following donchian entries break the prior channel high", () => {
  const enters = run().filter((d) => d.intents[0].kind === "enter");
  assert.ok(enters.length > 10);
  for (const { index } of enters) {
    const prior = candles.slice(index - params.donchian_entry, index);
    assert.equal(prior.length, params.donchian_entry);
    assert.ok(candles[index].close > Math.max(...prior.map((candle) => candle.high)));
  }
});

Deno.test("trend_following trails its stop upwards only, below the close", () => {
  const decisions = run();
  let stop = -Infinity, adjustments = 0;
  for (const { index, intents: [intent] } of decisions) {
    if (intent.kind === "enter") {
      assert.ok(intent.stopLossPrice! < candles[index].close);
      stop = intent.stopLossPrice!;
    } else if (intent.kind === "adjust_stops") {
      assert.ok(intent.stopLossPrice! > stop, `stop rises at ${index}`);
      stop = intent.stopLossPrice!;
      adjustments++;
    }
  }
  assert.ok(adjustments > 100, `adjustments: ${adjustments}`);
});

Deno.test("trend_following ema_cross mode enters on golden crosses on BTC/USDT 1h", () => {
  const counts = countIntents(run({ entry: "ema_cross" }));
  assert.ok(counts.enter >= 2 && counts.adjust_stops > 0, JSON.stringify(counts));
});

Deno.test("trend_following check rejects ema_fast >= ema_slow", () => {
  assert.deepEqual(trendFollowingDefinition.check(params), []);
  assert.equal(trendFollowingDefinition.check({ ...params, ema_fast: 200 })[0].key, "ema_fast");
});
