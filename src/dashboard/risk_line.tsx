/** The risk state: drawdown against its halt level, today's loss against its limit. Props only. */
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
  return (
    <Text wrap="truncate">
      {/* A template literal keeps the space that deno fmt trims from JSX text. */}
      <Text bold>{`Risk `}</Text>
      <Gauge
        label="drawdown"
        valuePct={drawdown}
        limitPct={view.maxDrawdownPct}
        limitName="halt"
        colour={colour}
      />{"  "}
      <Gauge
        label="daily loss"
        valuePct={dailyLoss}
        limitPct={view.dailyLossLimitPct}
        limitName="limit"
        colour={colour}
      />
    </Text>
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

interface GaugeProps {
  readonly label: string;
  readonly valuePct: number | null;
  readonly limitPct: number | null;
  readonly limitName: string;
  readonly colour: boolean;
}

function Gauge(props: GaugeProps) {
  const { valuePct, limitPct } = props;
  const used = valuePct !== null && limitPct !== null && limitPct > 0 ? valuePct / limitPct : null;
  const filled = used === null ? 0 : Math.min(6, Math.round(used * 6));
  const bar = used === null ? "" : ` ▕${"█".repeat(filled)}${"░".repeat(6 - filled)}▏`;
  const tone = used === null ? undefined : used >= 1 ? "red" : used >= 0.7 ? "yellow" : "green";
  return (
    <Text color={props.colour ? tone : undefined}>
      {`${riskText(props.label, valuePct, limitPct, props.limitName)}${bar}`}
    </Text>
  );
}
