/**
 * Runs the strategy checks of a loaded config on candles in memory. A user module's code runs
 * only in its sandbox (signal streams and backtests in sandboxed workers, its warm-up from its
 * host); a built-in runs in this thread. Every strategy is wrapped by `checkedStrategy`, so a
 * throw names the candle time.
 */
import { backtestConfig, type BacktestOutcome } from "../backtest/backtest_config.ts";
import type { CandleColumns } from "../core/types.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { MarketFacts } from "../risk/market_rules.ts";
import { runSandboxedBacktest, runSandboxedSignals } from "../sandbox/run_sweep.ts";
import type { StrategyCheckReport } from "../strategy_runtime/check_report.ts";
import { checkedStrategy, StrategyRuntimeError } from "../strategy_runtime/checked_strategy.ts";
import {
  runSignalJobs,
  type SignalJob,
  type SignalStream,
} from "../strategy_runtime/signal_stream.ts";
import {
  type BacktestTrace,
  checkStrategyRuns,
  planChecks,
  repeatJobs,
  signalJobs,
} from "../strategy_runtime/strategy_checks.ts";
import type { LoadedConfig } from "./load_config.ts";

/** Checks determinism, warm-up, lookahead and exceptions of the config's strategy on `candles`. */
export async function runStrategyChecks(
  loaded: LoadedConfig,
  candles: CandleColumns,
  options: { market?: MarketFacts | null } = {},
): Promise<StrategyCheckReport> {
  const { config } = loaded;
  const probe = loaded.createStrategy(config);
  const plan = planChecks(candles.length, probe.warmupCandles);
  const runner = loaded.host === null ? inThread(loaded) : inSandbox(config);
  // The repeat and the second backtest run apart from the first ones: in a user module's case
  // in other workers, so state shared inside a module cannot make them agree.
  const [streams, repeat, first, second] = await Promise.all([
    runner.signals(candles, signalJobs(plan)),
    runner.signals(candles, repeatJobs(plan)),
    traceOf(() => runner.backtest(candles, options.market ?? null)),
    traceOf(() => runner.backtest(candles, options.market ?? null)),
  ]);
  const checks = checkStrategyRuns({
    plan,
    openTimeMs: candles.openTimeMs,
    streams,
    repeat,
    backtests: [first, second],
  });
  return {
    strategy: probe.name,
    module: config.strategy.module ?? null,
    exchange: config.exchange,
    symbol: config.symbol,
    timeframe: config.timeframe,
    range: {
      fromMs: candles.openTimeMs[0],
      toMs: candles.openTimeMs[candles.length - 1],
      candles: candles.length,
    },
    warmupCandles: plan.warmupCandles,
    checks,
    passed: checks.every((check) => check.status === "pass"),
  };
}

/** How the strategy's runs are made: here or in sandboxed workers. */
interface CheckRunner {
  signals(candles: CandleColumns, jobs: readonly SignalJob[]): Promise<SignalStream[]>;
  backtest(
    candles: CandleColumns,
    market: MarketFacts | null,
  ): BacktestOutcome | Promise<BacktestOutcome>;
}

function inThread(loaded: LoadedConfig): CheckRunner {
  const { config } = loaded;
  const create = () => checkedStrategy(loaded.createStrategy(config), "");
  return {
    signals: (candles, jobs) =>
      Promise.resolve(runSignalJobs(create, candles, {
        jobs,
        timeframe: config.timeframe,
        symbol: config.symbol,
      })),
    backtest: (candles, market) =>
      backtestConfig(config, candles, { market, strategy: create(), recordDecisions: true }),
  };
}

function inSandbox(config: InstanceConfig): CheckRunner {
  return {
    signals: (candles, jobs) => runSandboxedSignals(config, candles, jobs),
    backtest: (candles, market) =>
      runSandboxedBacktest(config, candles, { market, recordDecisions: true }),
  };
}

async function traceOf(
  run: () => BacktestOutcome | Promise<BacktestOutcome>,
): Promise<BacktestTrace> {
  try {
    const outcome = await run();
    return { decisions: outcome.run.decisions, error: null };
  } catch (error) {
    if (!(error instanceof StrategyRuntimeError)) throw error;
    return { decisions: [], error: { candleTimeMs: error.candleTimeMs, message: error.message } };
  }
}
