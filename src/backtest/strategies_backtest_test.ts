import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { readsVolume, strategyNames, VOLUME_FREE_STRATEGIES } from "../strategies/registry.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { backtestConfig } from "./backtest_config.ts";
import { formatReportJson } from "./report_json.ts";
import { toColumns } from "./run_backtest.ts";

/** Bundled sample per timeframe; scalping is meant for short timeframes. */
const SAMPLE: Record<string, [string, string]> = {
  scalping: ["5m", "binance_BTC-USDT_5m.csv"],
};

/** Params a strategy needs besides its defaults: the rules' expressions. */
const PARAMS: Record<string, string> = {
  rules: "\n  params:\n    enter: crosses_above(ema(close, 12), ema(close, 26))\n" +
    "    exit: crosses_below(ema(close, 12), ema(close, 26))",
};

for (const name of strategyNames()) {
  Deno.test(`backtest of ${name} on bundled real candles trades, and a second run reproduces it exactly`, () => {
    const [timeframe, file] = SAMPLE[name] ?? ["1h", "binance_BTC-USDT_1h.csv"];
    const config = parseInstanceConfig(
      `name: det-${
        name.replaceAll("_", "-")
      }\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: ${timeframe}\n` +
        `strategy:\n  name: ${name}${
          PARAMS[name] ?? ""
        }\nrisk:\n  stop_loss_pct: 3\n  take_profit_pct: 6\n`,
    );
    const candles = toColumns(loadSampleCandles(file));
    const first = backtestConfig(config, candles);
    const second = backtestConfig(config, candles);
    assert.ok(first.run.trades.length > 0, `${name} made no trades`);
    assert.deepEqual(second.report, first.report);
    assert.ok(!JSON.stringify(first.report.metrics).includes("NaN"));
  });
}

for (const name of VOLUME_FREE_STRATEGIES) {
  Deno.test(`backtest of ${name} gives the same report with every volume zeroed (it may load none)`, () => {
    assert.equal(readsVolume(name), false);
    const [timeframe, file] = SAMPLE[name] ?? ["1h", "binance_BTC-USDT_1h.csv"];
    const config = parseInstanceConfig(
      `name: vol-${name.replaceAll("_", "-")}\nexchange: binance\nsymbol: BTC/USDT\n` +
        `timeframe: ${timeframe}\nstrategy:\n  name: ${name}\n` +
        "risk:\n  stop_loss_pct: 3\n  take_profit_pct: 6\n",
    );
    const candles = toColumns(loadSampleCandles(file));
    const zeroed = { ...candles, volume: new Float64Array(candles.length) };
    const report = backtestConfig(config, candles).report;
    assert.ok(report.trades.length > 0, `${name} made no trades`);
    assert.equal(formatReportJson(backtestConfig(config, zeroed).report), formatReportJson(report));
  });
}

Deno.test("rules strategies and names the registry does not know read volume", () => {
  assert.equal(readsVolume("rules"), true);
  assert.equal(readsVolume("strategies/example.ts"), true);
  assert.deepEqual(
    VOLUME_FREE_STRATEGIES.filter((name) => !strategyNames().includes(name)),
    [],
  );
});
