/** Backtest: the synchronous runner, metrics, reports and parameter sweeps. */
export {
  backtestConfig,
  type BacktestConfigOptions,
  type BacktestOutcome,
} from "./backtest_config.ts";
export {
  type BacktestParts,
  type BacktestRun,
  type CandleColumns,
  runBacktest,
  type RunBacktestOptions,
  toColumns,
} from "./run_backtest.ts";
export { computeMetrics, type Metrics, type MetricsInput, tradeMetrics } from "./metrics.ts";
export { loadBacktestCandles, type LoadedCandles } from "./load_candles.ts";
export {
  type BacktestRange,
  type BacktestReport,
  buildReport,
  formatReportJson,
} from "./report_json.ts";
export {
  formatTerminalReport,
  type GapSummary,
  type TerminalReportOptions,
} from "./report_terminal.ts";
export { formatTradesCsv } from "./report_csv.ts";
export { CHART_LIBRARY_PATH, formatHtmlReport, type HtmlReportOptions } from "./report_html.ts";
export { storeBacktestRun } from "./store_run.ts";
export {
  checkCombinations,
  combinations,
  countCombinations,
  DEFAULT_MAX_COMBINATIONS,
  parseSweep,
  type SweepAxis,
} from "./sweep_grid.ts";
export { rankSweep, type SweepJob, type SweepResult } from "./sweep_results.ts";
export { formatSweepTable } from "./report_sweep.ts";
export { formatNumber } from "./format.ts";
