/** One instance in detail: charts, risk, orders, trades and log. Props only. */
import { createElement as h } from "react";
import { Box, Text } from "ink";
import type { InstanceDetail } from "../storage/dashboard_repo.ts";
import { candleIndexAt, type ChartMarker } from "./braille_chart.ts";
import { ChartView } from "./chart_view.ts";
import { detailLayout } from "./detail_layout.ts";
import { fit, formatDateTime, formatMoney, formatNumber, formatPct } from "./format.ts";
import { type InstanceView } from "./instance_view.ts";
import { formatLogLine, logLevelColour } from "./log_line.ts";
import { RiskLine } from "./risk_line.ts";

/** What the detail view shows. */
export interface DetailViewProps {
  readonly view: InstanceView;
  readonly detail: InstanceDetail | null;
  readonly logLines: readonly string[];
  readonly width: number;
  /** Lines available to the view. */
  readonly height: number;
  readonly colour: boolean;
}

/** Charts on the left (or on top when narrow); trades and log on the right (or below). */
export function DetailView(props: DetailViewProps) {
  const { view, detail, colour } = props;
  if (!detail) return h(Text, { dimColor: true }, "loading…");
  const layout = detailLayout(props.width, props.height);
  const candles = detail.candles;
  const open = view.row.positionBase > 0 && view.row.entryPrice !== null;
  const charts = h(
    Box,
    { flexDirection: "column", width: layout.leftWidth },
    h(ChartView, {
      title: `${view.row.symbol} ${view.row.timeframe} close  ▲ entry ▼ exit${
        open ? " ┄ open entry" : ""
      }`,
      values: candles.map((candle) => candle.close),
      markers: markersOf(detail),
      levels: open ? [view.row.entryPrice!] : [],
      width: layout.leftWidth,
      height: layout.priceHeight,
      lineColour: "cyan",
      colour,
    }),
    h(ChartView, {
      title: "Equity",
      values: detail.equity.map(([, equityQuote]) => equityQuote),
      width: layout.leftWidth,
      height: layout.equityHeight,
      lineColour: "green",
      colour,
    }),
    h(RiskLine, { view, peakEquityQuote: detail.peakEquityQuote, colour, width: layout.leftWidth }),
    h(OrderList, { detail, lines: layout.orderLines, width: layout.leftWidth }),
  );
  const lists = h(
    Box,
    { flexDirection: "column", width: layout.rightWidth },
    h(TradeList, { detail, lines: layout.tradeLines, width: layout.rightWidth, colour }),
    h(LogList, {
      lines: props.logLines,
      height: layout.logLines,
      width: layout.rightWidth,
      colour,
    }),
  );
  return h(
    Box,
    { flexDirection: layout.wide ? "row" : "column", gap: layout.wide ? 1 : 0 },
    charts,
    lists,
  );
}

/** Entry and exit markers of the trades that fall inside the chart's candles. */
export function markersOf(detail: InstanceDetail): ChartMarker[] {
  const times = detail.candles.map((candle) => candle.openTimeMs);
  if (times.length === 0) return [];
  const markers: ChartMarker[] = [];
  for (const trade of detail.trades) {
    const entry = candleIndexAt(times, trade.entryTimeMs);
    const exit = candleIndexAt(times, trade.exitTimeMs);
    if (entry >= 0) markers.push({ index: entry, price: trade.entryPrice, kind: "entry" });
    if (exit >= 0) markers.push({ index: exit, price: trade.exitPrice, kind: "exit" });
  }
  return markers;
}

function OrderList(props: { detail: InstanceDetail; lines: number; width: number }) {
  const orders = props.detail.openOrders;
  const shown = orders.slice(0, Math.max(0, props.lines - 1)).map((order) =>
    h(
      Text,
      { key: order.clientOrderId, wrap: "truncate" },
      `  ${order.side} ${order.type} ${formatNumber(order.baseAmount)} @ ${
        formatNumber(order.price)
      } ${order.status} ${order.intent}`,
    )
  );
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, { bold: true, wrap: "truncate" }, `Open orders (${orders.length})`),
    ...shown,
  );
}

function TradeList(
  props: { detail: InstanceDetail; lines: number; width: number; colour: boolean },
) {
  const trades = props.detail.trades;
  const rows = trades.slice(0, Math.max(0, props.lines - 1)).map((trade, index) => {
    const pnl = `${formatMoney(trade.pnl, true)} ${formatPct(trade.pnlPct)}`;
    const colour = props.colour ? (trade.pnl >= 0 ? "green" : "red") : undefined;
    return h(
      Text,
      { key: String(index), wrap: "truncate" },
      `${formatDateTime(trade.exitTimeMs)} ${fit(formatNumber(trade.entryPrice), 10, "right")} → ${
        fit(formatNumber(trade.exitPrice), 10, "right")
      } `,
      h(Text, { color: colour }, fit(pnl, 18, "right")),
      ` ${trade.exitReason}`,
    );
  });
  return h(
    Box,
    { flexDirection: "column", height: props.lines },
    h(Text, { bold: true, wrap: "truncate" }, `Last trades (${trades.length}, newest first)`),
    ...rows,
  );
}

function LogList(
  props: { lines: readonly string[]; height: number; width: number; colour: boolean },
) {
  const shown = props.lines.slice(-Math.max(0, props.height - 1)).map(formatLogLine);
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, { bold: true, wrap: "truncate" }, `Log (last ${props.lines.length} lines)`),
    ...shown.map((line, index) =>
      h(
        Text,
        {
          key: String(index),
          wrap: "truncate",
          color: props.colour ? logLevelColour(line.level) : undefined,
        },
        line.text,
      )
    ),
  );
}
