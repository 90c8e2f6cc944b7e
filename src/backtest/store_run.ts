/** Stores a finished backtest in `backtest_runs`. */
import type { BacktestRunRepo } from "../storage/backtest_run_repo.ts";
import type { BacktestReport } from "./report_json.ts";

/** Inserts one row for `report`; returns its id. */
export function storeBacktestRun(
  repo: BacktestRunRepo,
  report: BacktestReport,
  createdMs: number,
): number {
  const { config, range, metrics } = report;
  return repo.insert({
    createdMs,
    name: config.name,
    exchange: config.exchange,
    symbol: config.symbol,
    timeframe: config.timeframe,
    strategy: config.strategy.name,
    fromMs: range.fromMs,
    toMs: range.toMs,
    candles: range.candles,
    returnPct: metrics.returnPct,
    trades: metrics.trades,
    config,
    metrics,
  });
}
