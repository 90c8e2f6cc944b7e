/**
 * `deno task check-strategy --config FILE`: runs the config's strategy (built-in or user module)
 * on stored candles and checks determinism, warm-up, lookahead and exceptions. Exit 1 when a
 * check fails.
 */
import { loadBacktestCandles } from "../src/backtest/load_candles.ts";
import { loadConfig } from "../src/app/load_config.ts";
import { runStrategyChecks } from "../src/app/run_strategy_checks.ts";
import { readSettings } from "../src/config/mod.ts";
import { EXIT_OK, EXIT_RUNTIME } from "../src/core/errors.ts";
import { openStore } from "../src/storage/mod.ts";
import {
  formatCheckReport,
  formatCheckReportJson,
} from "../src/strategy_runtime/format_check_report.ts";
import { openTimeBounds, resolveRange } from "./_backtest_range.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";

async function main(args: string[]): Promise<number> {
  const program = newCommand(
    "check-strategy",
    "Check a config's strategy for determinism, warm-up, lookahead and exceptions",
  )
    .requiredOption("--config <file>", "instance config (config/strategies/*.yaml)")
    .option("--from <date>", "first candle, YYYY-MM-DD or ISO 8601 UTC (default: backtest.from)")
    .option("--to <date>", "end of the range, exclusive (default: backtest.to, else all data)")
    .option("--json", "print the report as JSON instead of a table");
  await program.parseAsync(args, { from: "user" });
  const options = program.opts();
  using loaded = await loadConfig(options.config);
  const config = loaded.config;
  const range = resolveRange(config, options);
  const store = openStore(readSettings(Deno.env.toObject()).databaseUrl);
  try {
    const market = store.markets.get(config.exchange, config.symbol);
    const candles = loadBacktestCandles(store.candles, config, openTimeBounds(range));
    const report = await runStrategyChecks(loaded, candles.columns, { market });
    if (options.json) writeLine(formatCheckReportJson(report));
    else {
      const color = Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
      for (const line of formatCheckReport(report, { color })) writeLine(line);
    }
    return report.passed ? EXIT_OK : EXIT_RUNTIME;
  } finally {
    store.close();
  }
}

if (import.meta.main) await runTask("check-strategy", main);
