/** Derived numbers for one instance row: status, PnL in quote and %, risk state. */
import type { InstanceSummary } from "../storage/dashboard_repo.ts";
import { type DerivedStatus, deriveStatus } from "./status.ts";

/** An instance row plus everything the dashboard computes from it. */
export interface InstanceView {
  readonly row: InstanceSummary;
  readonly derived: DerivedStatus;
  readonly unrealizedPnlQuote: number | null;
  readonly unrealizedPnlPct: number | null;
  readonly realizedPnlPct: number | null;
  readonly todayPnlQuote: number | null;
  readonly todayPnlPct: number | null;
  /** Risk limits from the config's `risk` keys; null when switched off or unknown. */
  readonly maxDrawdownPct: number | null;
  readonly dailyLossLimitPct: number | null;
}

/** Computes the derived values of one instance at `nowMs`. */
export function toInstanceView(row: InstanceSummary, nowMs: number): InstanceView {
  const open = row.positionBase > 0 && row.entryPrice !== null && row.entryPrice > 0;
  const unrealized = open && row.lastPrice !== null
    ? (row.lastPrice - row.entryPrice!) * row.positionBase
    : null;
  const startBalance = configNumber(row.config, "account", "balance");
  const today = row.equityQuote !== null && row.dayStartEquityQuote !== null
    ? row.equityQuote - row.dayStartEquityQuote
    : null;
  return {
    row,
    derived: deriveStatus(row, nowMs),
    unrealizedPnlQuote: unrealized,
    unrealizedPnlPct: unrealized !== null ? (row.lastPrice! / row.entryPrice! - 1) * 100 : null,
    realizedPnlPct: ratioPct(row.realizedPnlQuote, startBalance),
    todayPnlQuote: today,
    todayPnlPct: ratioPct(today, row.dayStartEquityQuote),
    maxDrawdownPct: configNumber(row.config, "risk", "max_drawdown_pct"),
    dailyLossLimitPct: configNumber(row.config, "risk", "daily_loss_limit_pct"),
  };
}

/** Drawdown from the peak in % (positive number), or null without data. */
export function drawdownPct(equityQuote: number | null, peakEquityQuote: number | null) {
  if (equityQuote === null || peakEquityQuote === null || peakEquityQuote <= 0) return null;
  return Math.max(0, (1 - equityQuote / peakEquityQuote) * 100);
}

/** Today's loss in % of day-start equity (positive number for a loss, 0 for a gain). */
export function dailyLossPct(view: InstanceView): number | null {
  if (view.todayPnlPct === null) return null;
  return Math.max(0, -view.todayPnlPct);
}

function ratioPct(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole === 0) return null;
  return part / whole * 100;
}

function configNumber(config: Record<string, unknown> | null, group: string, key: string) {
  const section = config?.[group];
  if (section === null || typeof section !== "object") return null;
  const value = (section as Record<string, unknown>)[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
