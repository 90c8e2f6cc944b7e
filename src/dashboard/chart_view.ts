/** Draws a braille chart with a price axis on the left. Props only. */
import { createElement as h } from "react";
import { Box, Text } from "ink";
import { brailleChart, type ChartMarker } from "./braille_chart.ts";
import { fit, formatNumber } from "./format.ts";

/** What a chart shows. */
export interface ChartViewProps {
  readonly title: string;
  readonly values: readonly number[];
  readonly width: number;
  readonly height: number;
  readonly markers?: readonly ChartMarker[];
  readonly levels?: readonly number[];
  readonly lineColour?: string;
  readonly colour: boolean;
}

const AXIS_WIDTH = 10;

/** A titled chart; the top and bottom rows carry the max and min values. */
export function ChartView(props: ChartViewProps) {
  const plotWidth = Math.max(4, props.width - AXIS_WIDTH - 1);
  const height = Math.max(1, props.height - 1);
  const title = h(Text, { bold: true, wrap: "truncate" }, props.title);
  if (props.values.length === 0) {
    return h(
      Box,
      { flexDirection: "column", height: props.height },
      title,
      h(Text, { dimColor: true }, "  no data yet"),
    );
  }
  const chart = brailleChart(props.values, {
    width: plotWidth,
    height,
    markers: props.markers,
    levels: props.levels,
    lineColour: props.lineColour,
  });
  const rows = chart.rows.map((row, index) => {
    const label = index === 0
      ? formatNumber(chart.max)
      : index === chart.rows.length - 1
      ? formatNumber(chart.min)
      : "";
    return h(
      Text,
      { key: String(index), wrap: "truncate" },
      h(Text, { dimColor: true }, `${fit(label, AXIS_WIDTH, "right")}│`),
      ...runs(row).map((run, i) =>
        h(Text, { key: String(i), color: props.colour ? run.colour : undefined }, run.text)
      ),
    );
  });
  return h(Box, { flexDirection: "column" }, title, ...rows);
}

// Groups neighbouring cells of one colour, so a row is a few Text nodes rather than one per cell.
function runs(row: readonly { ch: string; colour?: string }[]) {
  const out: { text: string; colour?: string }[] = [];
  for (const cell of row) {
    const last = out[out.length - 1];
    if (last && last.colour === cell.colour) last.text += cell.ch;
    else out.push({ text: cell.ch, colour: cell.colour });
  }
  return out;
}
