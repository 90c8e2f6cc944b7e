/** One instance in detail: charts, risk, orders, trades and log. Props only. */
import { Box, Text } from "ink";
import type { InstanceDetail } from "../storage/dashboard_repo.ts";
import { candleIndexAt, type ChartMarker } from "./braille_chart.ts";
import { ChartView } from "./chart_view.tsx";
import { type DetailLayout, detailLayout } from "./detail_layout.ts";
import { LogList, OrderList, TradeList } from "./detail_lists.tsx";
import { type InstanceView } from "./instance_view.ts";
import { RiskLine } from "./risk_line.tsx";

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
  if (!detail) return <Text dimColor>loading…</Text>;
  const layout = detailLayout(props.width, props.height);
  return (
    <Box flexDirection={layout.wide ? "row" : "column"} gap={layout.wide ? 1 : 0}>
      <Charts view={view} detail={detail} layout={layout} colour={colour} />
      <Box flexDirection="column" width={layout.rightWidth}>
        <TradeList
          detail={detail}
          lines={layout.tradeLines}
          width={layout.rightWidth}
          colour={colour}
        />
        <LogList
          lines={props.logLines}
          height={layout.logLines}
          width={layout.rightWidth}
          colour={colour}
        />
      </Box>
    </Box>
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

interface ChartsProps {
  readonly view: InstanceView;
  readonly detail: InstanceDetail;
  readonly layout: DetailLayout;
  readonly colour: boolean;
}

// The left column: price and equity charts, the risk line and the open orders.
function Charts(props: ChartsProps) {
  const { view, detail, layout, colour } = props;
  const { row } = view;
  const open = row.positionBase > 0 && row.entryPrice !== null;
  return (
    <Box flexDirection="column" width={layout.leftWidth}>
      <ChartView
        title={`${row.symbol} ${row.timeframe} close  ▲ entry ▼ exit${open ? " ┄ open entry" : ""}`}
        values={detail.candles.map((candle) => candle.close)}
        markers={markersOf(detail)}
        levels={open ? [row.entryPrice!] : []}
        width={layout.leftWidth}
        height={layout.priceHeight}
        lineColour="cyan"
        colour={colour}
      />
      <ChartView
        title="Equity"
        values={detail.equity.map(([, equityQuote]) => equityQuote)}
        width={layout.leftWidth}
        height={layout.equityHeight}
        lineColour="green"
        colour={colour}
      />
      <RiskLine
        view={view}
        peakEquityQuote={detail.peakEquityQuote}
        colour={colour}
        width={layout.leftWidth}
      />
      <OrderList detail={detail} lines={layout.orderLines} width={layout.leftWidth} />
    </Box>
  );
}
