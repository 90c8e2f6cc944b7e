/**
 * Testing a strategy: backtest a definition on the bundled candles through the real engine, with
 * the same checks a user module gets when it runs in the sandbox. For `strategies/*_test.ts`
 * (see `deno task new-strategy`); tests run with full permissions, so no sandbox is needed here.
 */
import { backtestConfig, type BacktestOutcome } from "./backtest/backtest_config.ts";
import { toColumns } from "./backtest/run_backtest.ts";
import { parseCandles } from "./candles/parse_candles.ts";
import { checkDefinitionParams } from "./config/check_strategy.ts";
import { parseInstanceConfig } from "./config/load_instance_config.ts";
import { candleFromRow } from "./core/candle_row.ts";
import { checkedStrategy } from "./strategy_runtime/checked_strategy.ts";
import { instantiateStrategy } from "./strategy_runtime/instantiate.ts";
import { checkDefinition } from "./strategy_runtime/load_definition.ts";
import type { StrategyDefinition } from "./strategy_api.ts";
import type { Timeframe } from "./core/timeframe.ts";

const SAMPLES = new URL("../data/samples/", import.meta.url);

/** Options for `backtestSample`. */
export interface SampleBacktestOptions {
  /** A file in data/samples, `exchange_BASE-QUOTE_timeframe.csv`; default BTC/USDT 1h. */
  readonly sample?: string;
  /** Strategy params; omitted keys take the definition's defaults. */
  readonly params?: Record<string, unknown>;
  /** Extra config keys in YAML (e.g. "risk:\n  stop_loss_pct: 2"). */
  readonly configYaml?: string;
}

/** Backtests `definition` on a bundled sample with a paper config; throws on bad params. */
export async function backtestSample(
  definition: StrategyDefinition,
  options: SampleBacktestOptions = {},
): Promise<BacktestOutcome> {
  checkDefinition(definition, definition.name);
  const sample = options.sample ?? "binance_BTC-USDT_1h.csv";
  const match = /^([a-z0-9]+)_([A-Z0-9]+)-([A-Z0-9]+)_(\w+)\.csv$/.exec(sample);
  if (match === null) {
    throw new Error(`Cannot read sample "${sample}": not exchange_BASE-QUOTE_tf.csv`);
  }
  const [, exchange, base, quote, timeframe] = match;
  const path = `strategies/${definition.name}.ts`;
  const yaml = [
    `name: ${definition.name.replaceAll("_", "-")}-test`,
    `exchange: ${exchange}`,
    `symbol: ${base}/${quote}`,
    `timeframe: ${timeframe}`,
    `strategy:`,
    `  module: ${path}`,
    `  params: ${JSON.stringify(options.params ?? {})}`,
    options.configYaml ?? "",
  ].join("\n");
  const config = parseInstanceConfig(yaml, {
    path: `${definition.name} test config`,
    strategies: {
      get: () => undefined,
      names: () => [],
      module: () => ({
        path,
        name: definition.name,
        checkParams: (params) => checkDefinitionParams(definition, params),
      }),
    },
  });
  const bytes = await Deno.readFile(new URL(sample, SAMPLES));
  const parsed = parseCandles(bytes, { file: sample, timeframe: timeframe as Timeframe });
  const candles = parsed.rows.map(candleFromRow);
  const strategy = checkedStrategy(
    instantiateStrategy(definition, config.strategy.params, config.timeframe),
    path,
  );
  return backtestConfig(config, toColumns(candles), { strategy });
}
