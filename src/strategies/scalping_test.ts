import assert from "node:assert/strict";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { scalpingDefinition } from "./scalping.ts";
import { countIntents, runStrategy } from "../../tests/support/run_strategy.ts";

const candles = loadSampleCandles("binance_ETH-USDT_15m.csv");
const params = scalpingDefinition.params.parse({});

function run(overrides: Partial<typeof params> = {}) {
  const strategy = scalpingDefinition.create({ ...params, ...overrides }, { timeframe: "15m" });
  return runStrategy(strategy, candles, { timeframeMs: 900_000 });
}

Deno.test("scalping entries carry a stop and a take-profit at the configured distances", () => {
  const enters = run().filter((d) => d.intents[0].kind === "enter");
  assert.ok(enters.length > 50);
  for (const { index, intents: [intent] } of enters) {
    assert.equal(intent.kind, "enter");
    if (intent.kind !== "enter") continue;
    const close = candles[index].close;
    assert.equal(intent.stopLossPrice, close * (1 - params.stop_loss_pct / 100));
    assert.equal(intent.takeProfitPrice, close * (1 + params.take_profit_pct / 100));
  }
});

Deno.test("scalping exits by time exactly max_hold_candles after the entry fill", () => {
  // Wide stops so positions live long enough to reach the time limit.
  const decisions = run({ take_profit_pct: 20, stop_loss_pct: 20, max_hold_candles: 5 });
  assert.ok(countIntents(decisions).exit > 20);
  for (let i = 0; i + 1 < decisions.length; i += 2) {
    assert.equal(decisions[i].intents[0].kind, "enter");
    assert.equal(decisions[i + 1].intents[0].kind, "exit");
    // Filled at the next open, held 5 candles: the exit comes 5 candles after the signal.
    assert.equal(decisions[i + 1].index - decisions[i].index, 5);
  }
});

Deno.test("scalping rsi entry mode also trades on ETH/USDT 15m", () => {
  const counts = countIntents(run({ entry: "rsi", trend_ema: 200, max_hold_candles: 4 }));
  assert.ok(counts.enter > 20 && counts.exit > 0, JSON.stringify(counts));
});
