/** The risk state: drawdown against its halt level, today's loss against its limit. Props only. */
import { createElement as h } from "react";
import { Text } from "ink";
import { dailyLossPct, drawdownPct, type InstanceView } from "./instance_view.ts";

/** What the risk line shows. */
export interface RiskLineProps {
  readonly view: InstanceView;
  readonly peakEquityQuote: number | null;
  readonly width: number;
  readonly colour: boolean;
}

/** `Drawdown 3.10% / halt 25% ▕██░░░░▏  Daily loss 0.50% / limit 5% ▕█░░░░░▏` */
export function RiskLine(props: RiskLineProps) {
  const { view, colour } = props;
  const drawdown = drawdownPct(view.row.equityQuote, props.peakEquityQuote);
  const dailyLoss = dailyLossPct(view);
  return h(
    Text,
    { wrap: "truncate" },
    h(Text, { bold: true }, "Risk "),
    gauge("drawdown", drawdown, view.maxDrawdownPct, "halt", colour),
    "  ",
    gauge("daily loss", dailyLoss, view.dailyLossLimitPct, "limit", colour),
  );
}

/** `drawdown 3.10% / halt 25%` plus a bar of how much of the limit is used. */
export function riskText(
  label: string,
  valuePct: number | null,
  limitPct: number | null,
  limitName: string,
) {
  const value = valuePct === null ? "–" : `${valuePct.toFixed(2)}%`;
  const limit = limitPct === null ? "off" : `${limitPct}%`;
  return `${label} ${value} / ${limitName} ${limit}`;
}

function gauge(
  label: string,
  valuePct: number | null,
  limitPct: number | null,
  limitName: string,
  colour: boolean,
) {
  const used = valuePct !== null && limitPct !== null && limitPct > 0 ? valuePct / limitPct : null;
  const filled = used === null ? 0 : Math.min(6, Math.round(used * 6));
  const bar = used === null ? "" : ` ▕${"█".repeat(filled)}${"░".repeat(6 - filled)}▏`;
  const tone = used === null ? undefined : used >= 1 ? "red" : used >= 0.7 ? "yellow" : "green";
  return h(
    Text,
    { color: colour ? tone : undefined },
    `${riskText(label, valuePct, limitPct, limitName)}${bar}`,
  );
}
