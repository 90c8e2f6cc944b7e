/** Tests of strategies/example.ts: a backtest on the bundled candles through the real engine. */
import assert from "node:assert/strict";
import { backtestSample } from "../src/strategy_testing.ts";
import strategy from "./example.ts";

Deno.test("example trades on the bundled BTC/USDT 1h candles", async () => {
  const { report } = await backtestSample(strategy);
  assert.ok(report.trades.length > 0, "it should trade at least once on a year of candles");
  for (const trade of report.trades) assert.ok(trade.exitTimeMs > trade.entryTimeMs);
});

Deno.test("example refuses a fast period that is not below the slow one", () => {
  const problems = strategy.check(strategy.params.parse({ fast: 30, slow: 10 }));
  assert.equal(problems[0]?.key, "fast");
});
