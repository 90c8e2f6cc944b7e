/**
 * The built-ins written as rules trade exactly like the built-ins: `sma_cross` and `rsi` give
 * byte-identical JSON reports on the bundled candles (once the config's strategy section is set
 * aside), and `rsi_macd` the same trades.
 */
import assert from "node:assert/strict";
import { backtestConfig } from "../../backtest/backtest_config.ts";
import { formatReportJson } from "../../backtest/report_json.ts";
import { toColumns } from "../../backtest/run_backtest.ts";
import { parseInstanceConfig } from "../../config/load_instance_config.ts";
import { loadSampleCandles } from "../../../tests/support/sample_candles.ts";

const MACD = "12, 26, 9";
const CASES: Record<string, { builtin: string; rules: string }> = {
  sma_cross: {
    builtin: "name: sma_cross\n  params: { fast: 10, slow: 30 }",
    rules: `name: rules
  params:
    fast: 10
    slow: 30
    enter: "crosses_above(sma(close, fast), sma(close, slow))"
    exit: "crosses_below(sma(close, fast), sma(close, slow))"`,
  },
  rsi: {
    builtin: "name: rsi\n  params: { period: 14, oversold: 30, overbought: 70 }",
    rules: `name: rules
  params:
    period: 14
    oversold: 30
    overbought: 70
    enter: rsi(close, period) < oversold
    exit: rsi(close, period) > overbought`,
  },
  rsi_macd: {
    builtin: "name: rsi_macd",
    rules: `name: rules
  params:
    enter: >-
      crosses_above(macd_line(close, ${MACD}), macd_signal(close, ${MACD}))
      and lowest(rsi(close, 14), 10) < 35
    exit: rsi(close, 14) > 70 or crosses_below(macd_line(close, ${MACD}), macd_signal(close, ${MACD}))`,
  },
};

function backtest(strategy: string, sample = "binance_BTC-USDT_1h.csv") {
  const [, exchange, base, quote, timeframe] = /^(\w+)_(\w+)-(\w+)_(\w+)\.csv$/.exec(sample)!;
  const config = parseInstanceConfig(
    `name: rules-test\nexchange: ${exchange}\nsymbol: ${base}/${quote}\ntimeframe: ${timeframe}\n` +
      `strategy:\n  ${strategy}\nrisk:\n  stop_loss_pct: 3\n`,
  );
  return backtestConfig(config, toColumns(loadSampleCandles(sample)));
}

/** The JSON report without the config's strategy section. */
function comparable(outcome: ReturnType<typeof backtest>): string {
  const report = JSON.parse(formatReportJson(outcome.report));
  delete report.config.strategy;
  return JSON.stringify(report, null, 2);
}

for (const name of ["sma_cross", "rsi"]) {
  Deno.test(`rules written like ${name} give ${name}'s JSON report, byte for byte`, () => {
    for (const sample of ["binance_BTC-USDT_1h.csv", "kraken_BTC-USD_15m.csv"]) {
      const builtin = backtest(CASES[name].builtin, sample);
      const rules = backtest(CASES[name].rules, sample);
      assert.ok(builtin.report.trades.length > 10, `${name} trades on ${sample}`);
      assert.equal(rules.run.warmupCandles, builtin.run.warmupCandles, "derived warm-up");
      assert.equal(comparable(rules), comparable(builtin), `${name} on ${sample}`);
    }
  });
}

Deno.test("rules written like rsi_macd make rsi_macd's trades", () => {
  const builtin = backtest(CASES.rsi_macd.builtin);
  const rules = backtest(CASES.rsi_macd.rules);
  assert.ok(builtin.report.trades.length > 5, "rsi_macd trades");
  assert.deepEqual(rules.report.trades, builtin.report.trades);
  assert.equal(rules.run.warmupCandles, builtin.run.warmupCandles);
});
