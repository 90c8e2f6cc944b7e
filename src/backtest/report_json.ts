/** The JSON backtest report, in exactly the shape docs/backtesting.md documents. */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { ClosedTrade } from "../core/types.ts";
import type { Metrics } from "./metrics.ts";
import type { BacktestRun } from "./run_backtest.ts";

/** The tested range: requested bounds in epoch ms and how many candles it held. */
export interface BacktestRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly candles: number;
}

/** `--json FILE`'s content. */
export interface BacktestReport {
  readonly config: InstanceConfig;
  readonly range: BacktestRange;
  readonly metrics: Metrics;
  readonly trades: readonly ClosedTrade[];
  readonly equity: readonly (readonly [number, number])[];
}

/** Assembles the report; the config holds no secrets (they live only in the environment). */
export function buildReport(
  config: InstanceConfig,
  result: { run: BacktestRun; metrics: Metrics; range: BacktestRange },
): BacktestReport {
  const { run, metrics, range } = result;
  const equity: [number, number][] = new Array(run.equity.length);
  for (let i = 0; i < run.equity.length; i++) equity[i] = [run.timesMs[i], run.equity[i]];
  const trades = run.trades.map((t) => ({
    entryTimeMs: t.entryTimeMs,
    exitTimeMs: t.exitTimeMs,
    entryPrice: t.entryPrice,
    exitPrice: t.exitPrice,
    amount: t.amount,
    pnl: t.pnl,
    pnlPct: t.pnlPct,
    fees: t.fees,
    exitReason: t.exitReason,
  }));
  return { config, range, metrics, trades, equity };
}

/** The report as pretty JSON text, ending in a newline. */
export function formatReportJson(report: BacktestReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
