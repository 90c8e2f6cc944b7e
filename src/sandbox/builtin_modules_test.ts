/**
 * The five built-ins copied to `strategies/` as user modules and run through the sandbox give the
 * same JSON reports as the built-ins, byte for byte once the config's strategy section (which
 * names the module) is set aside.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { backtestConfig } from "../backtest/backtest_config.ts";
import { formatReportJson } from "../backtest/report_json.ts";
import { toColumns } from "../backtest/run_backtest.ts";
import { loadConfig } from "../app/load_config.ts";
import { strategyNames } from "../strategies/registry.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { runSandboxedBacktest } from "./run_sweep.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SAMPLES: Record<string, string> = {
  scalping: "binance_ETH-USDT_15m.csv",
};

const EXPORTS: Record<string, string> = {
  rsi: "rsiDefinition",
  rsi_macd: "rsiMacdDefinition",
  scalping: "scalpingDefinition",
  sma_cross: "smaCrossDefinition",
  trend_following: "trendFollowingDefinition",
};

function configYaml(strategy: string, sample: string) {
  const [, exchange, base, quote, timeframe] = /^(\w+)_(\w+)-(\w+)_(\w+)\.csv$/.exec(sample)!;
  return `name: copy-test\nexchange: ${exchange}\nsymbol: ${base}/${quote}\n` +
    `timeframe: ${timeframe}\nstrategy:\n  ${strategy}\nrisk:\n  stop_loss_pct: 3\n`;
}

/** The report with the strategy section reduced to what a built-in's says. */
function comparable(json: string): string {
  const report = JSON.parse(json);
  delete report.config.strategy.module;
  return JSON.stringify(report, null, 2);
}

Deno.test("the five built-ins as user modules give the built-ins' JSON reports, byte for byte", async () => {
  const dir = `strategies/tmp_copies_${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(`${ROOT}${dir}`);
  const tmp = await Deno.makeTempDir();
  try {
    assert.deepEqual(Object.keys(EXPORTS).sort(), strategyNames());
    for (const [name, exported] of Object.entries(EXPORTS)) {
      const source = await Deno.readTextFile(`${ROOT}src/strategies/${name}.ts`);
      const copy = source.replace('from "../strategy_api.ts"', 'from "../../src/strategy_api.ts"') +
        `\nexport default ${exported};\n`;
      await Deno.writeTextFile(`${ROOT}${dir}/${name}.ts`, copy);
      const sample = SAMPLES[name] ?? "binance_BTC-USDT_1h.csv";
      const columns = toColumns(loadSampleCandles(sample));
      const builtinPath = `${tmp}/${name}-builtin.yaml`;
      const modulePath = `${tmp}/${name}-module.yaml`;
      await Deno.writeTextFile(builtinPath, configYaml(`name: ${name}`, sample));
      await Deno.writeTextFile(modulePath, configYaml(`module: ${dir}/${name}.ts`, sample));
      using builtin = await loadConfig(builtinPath);
      using module = await loadConfig(modulePath);
      assert.equal(module.config.strategy.name, name);
      const expected = backtestConfig(builtin.config, columns);
      const actual = await runSandboxedBacktest(module.config, columns);
      assert.ok(expected.report.trades.length > 0, `${name} trades`);
      assert.equal(
        comparable(formatReportJson(actual.report)),
        comparable(formatReportJson(expected.report)),
        name,
      );
      assert.ok(!("module" in expected.report.config.strategy), "a built-in names no module");
    }
  } finally {
    await Deno.remove(`${ROOT}${dir}`, { recursive: true });
    await Deno.remove(tmp, { recursive: true });
  }
});
