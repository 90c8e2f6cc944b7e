/** One backtest of a config over candles in memory: engine run, metrics and report. No I/O. */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { Strategy } from "../core/ports.ts";
import type { MarketFacts } from "../risk/market_rules.ts";
import { createEngineParts } from "../engine/engine_parts.ts";
import { computeMetrics, type Metrics } from "./metrics.ts";
import { type BacktestRange, type BacktestReport, buildReport } from "./report_json.ts";
import { type BacktestRun, type CandleColumns, runBacktest } from "./run_backtest.ts";

/** Options for `backtestConfig`. */
export interface BacktestConfigOptions {
  readonly market?: MarketFacts | null;
  /** Requested range for the report; defaults to the candles' span. */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** A ready strategy instead of the registry's (user modules, tests). */
  readonly strategy?: Strategy;
  /** Keep every risk decision in `run.decisions` (strategy checks, audits). */
  readonly recordDecisions?: boolean;
}

/** The run, its metrics and its report. */
export interface BacktestOutcome {
  readonly run: BacktestRun;
  readonly metrics: Metrics;
  readonly report: BacktestReport;
}

/** The run and its metrics, before the report: what a sandboxed worker sends back. */
export interface BacktestResult {
  readonly run: BacktestRun;
  readonly metrics: Metrics;
  readonly range: BacktestRange;
}

/** Builds the engine from `config`, runs it over `candles` and computes the report. */
export function backtestConfig(
  config: InstanceConfig,
  candles: CandleColumns,
  options: BacktestConfigOptions = {},
): BacktestOutcome {
  return withReport(config, runConfig(config, candles, options));
}

/** Adds the report to a result (cheap next to the run; a worker leaves it to the caller). */
export function withReport(config: InstanceConfig, result: BacktestResult): BacktestOutcome {
  return { run: result.run, metrics: result.metrics, report: buildReport(config, result) };
}

/** Builds the engine from `config`, runs it over `candles` and computes the metrics. */
export function runConfig(
  config: InstanceConfig,
  candles: CandleColumns,
  options: BacktestConfigOptions = {},
): BacktestResult {
  const parts = createEngineParts(config, {
    market: options.market,
    strategy: options.strategy,
    retainHistory: false,
  });
  const run = runBacktest(parts, candles, { recordDecisions: options.recordDecisions });
  const metrics = computeMetrics(run);
  const n = candles.length;
  const range = {
    fromMs: options.fromMs ?? (n > 0 ? candles.openTimeMs[0] : 0),
    toMs: options.toMs ?? (n > 0 ? candles.openTimeMs[n - 1] : 0),
    candles: n,
  };
  return { run, metrics, range };
}
