/**
 * The six built-ins copied to `strategies/` as user modules and run through the sandbox give the
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
  rules: "rulesDefinition",
  scalping: "scalpingDefinition",
  sma_cross: "smaCrossDefinition",
  trend_following: "trendFollowingDefinition",
};

/** `rules` is a folder: its strategy file is `rules/rules.ts`, and it needs its expressions. */
const FILES: Record<string, string> = { rules: "rules/rules.ts" };
const PARAMS: Record<string, string> = {
  rules: "\n  params:\n    enter: crosses_above(macd_line(close, 12, 26, 9), 0)\n" +
    "    exit: crosses_below(macd_line(close, 12, 26, 9), 0)\n    stop: lowest(low, 10)",
};

/** Copies the built-in's files into `dir`, each importing the API from there; returns its path. */
async function copyBuiltin(name: string, dir: string, exported: string): Promise<string> {
  const file = FILES[name] ?? `${name}.ts`;
  const folder = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  const sources = folder === "" ? [file] : [...Deno.readDirSync(`${ROOT}src/strategies/${folder}`)]
    .map((entry) => `${folder}/${entry.name}`)
    .filter((path) => path.endsWith(".ts") && !/_test(_support)?\.ts$/.test(path));
  if (folder !== "") await Deno.mkdir(`${ROOT}${dir}/${folder}`);
  for (const source of sources) {
    const depth = "../".repeat(source.split("/").length);
    const text = (await Deno.readTextFile(`${ROOT}src/strategies/${source}`))
      .replace(/from "(\.\.\/)+strategy_api\.ts"/g, `from "${depth}../src/strategy_api.ts"`);
    await Deno.writeTextFile(
      `${ROOT}${dir}/${source}`,
      source === file ? `${text}\nexport default ${exported};\n` : text,
    );
  }
  return `${dir}/${file}`;
}

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

Deno.test("the six built-ins as user modules give the built-ins' JSON reports, byte for byte", async () => {
  const dir = `strategies/tmp_copies_${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(`${ROOT}${dir}`);
  const tmp = await Deno.makeTempDir();
  try {
    assert.deepEqual(Object.keys(EXPORTS).sort(), strategyNames());
    for (const [name, exported] of Object.entries(EXPORTS)) {
      const path = await copyBuiltin(name, dir, exported);
      const sample = SAMPLES[name] ?? "binance_BTC-USDT_1h.csv";
      const columns = toColumns(loadSampleCandles(sample));
      const builtinPath = `${tmp}/${name}-builtin.yaml`;
      const modulePath = `${tmp}/${name}-module.yaml`;
      const params = PARAMS[name] ?? "";
      await Deno.writeTextFile(builtinPath, configYaml(`name: ${name}${params}`, sample));
      await Deno.writeTextFile(modulePath, configYaml(`module: ${path}${params}`, sample));
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
