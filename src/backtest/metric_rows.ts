/** The metrics as labelled rows, for the terminal and HTML reports. */
import { formatDuration, formatUtc } from "../core/format_time.ts";
import { formatNumber } from "./format.ts";
import type { Metrics } from "./metrics.ts";

/** How a metric is shown. */
export type MetricKind = "pct" | "signedPct" | "money" | "ratio" | "duration" | "count" | "time";

/** Every metric with its label and kind, in report order. */
export const METRIC_ROWS: readonly [keyof Metrics, string, MetricKind][] = [
  ["startMs", "Start", "time"],
  ["endMs", "End", "time"],
  ["returnPct", "Return", "signedPct"],
  ["buyHoldReturnPct", "Buy & hold return", "signedPct"],
  ["returnAnnPct", "Return (ann.)", "signedPct"],
  ["cagrPct", "CAGR", "signedPct"],
  ["volatilityAnnPct", "Volatility (ann.)", "pct"],
  ["sharpe", "Sharpe ratio", "ratio"],
  ["sortino", "Sortino ratio", "ratio"],
  ["calmar", "Calmar ratio", "ratio"],
  ["maxDrawdownPct", "Max drawdown", "signedPct"],
  ["avgDrawdownPct", "Avg drawdown", "signedPct"],
  ["maxDrawdownDurationMs", "Max drawdown duration", "duration"],
  ["avgDrawdownDurationMs", "Avg drawdown duration", "duration"],
  ["exposurePct", "Exposure time", "pct"],
  ["equityFinal", "Equity final", "money"],
  ["equityPeak", "Equity peak", "money"],
  ["feesPaid", "Fees paid", "money"],
  ["trades", "Trades", "count"],
  ["winRatePct", "Win rate", "pct"],
  ["bestTradePct", "Best trade", "signedPct"],
  ["worstTradePct", "Worst trade", "signedPct"],
  ["avgTradePct", "Avg trade", "signedPct"],
  ["maxTradeDurationMs", "Max trade duration", "duration"],
  ["avgTradeDurationMs", "Avg trade duration", "duration"],
  ["profitFactor", "Profit factor", "ratio"],
  ["expectancyPct", "Expectancy", "signedPct"],
  ["sqn", "SQN", "ratio"],
  ["kelly", "Kelly criterion", "ratio"],
];

/** A metric as text; `—` when undefined. */
export function formatMetric(value: number | null, kind: MetricKind): string {
  if (value === null) return "—";
  switch (kind) {
    case "pct":
      return `${formatNumber(value, 2)} %`;
    case "signedPct":
      return `${formatNumber(value, 2, true)} %`;
    case "money":
      return formatNumber(value, 2);
    case "ratio":
      return formatNumber(value, 2);
    case "duration":
      return formatDuration(value);
    case "count":
      return formatNumber(value, 0);
    case "time":
      return formatUtc(value);
  }
}
