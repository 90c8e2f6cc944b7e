/** Draws a braille chart with a price axis on the left. Props only. */
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
  const title = <Text bold wrap="truncate">{props.title}</Text>;
  if (props.values.length === 0) {
    return (
      <Box flexDirection="column" height={props.height}>
        {title}
        {/* A template literal keeps the indent that deno fmt trims from JSX text. */}
        <Text dimColor>{`  no data yet`}</Text>
      </Box>
    );
  }
  const chart = brailleChart(props.values, {
    width: Math.max(4, props.width - AXIS_WIDTH - 1),
    height: Math.max(1, props.height - 1),
    markers: props.markers,
    levels: props.levels,
    lineColour: props.lineColour,
  });
  const last = chart.rows.length - 1;
  const labelOf = (index: number) =>
    index === 0 ? formatNumber(chart.max) : index === last ? formatNumber(chart.min) : "";
  return (
    <Box flexDirection="column">
      {title}
      {chart.rows.map((row, index) => (
        <Text key={String(index)} wrap="truncate">
          <Text dimColor>{`${fit(labelOf(index), AXIS_WIDTH, "right")}│`}</Text>
          {runs(row).map((run, i) => (
            <Text key={String(i)} color={props.colour ? run.colour : undefined}>{run.text}</Text>
          ))}
        </Text>
      ))}
    </Box>
  );
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
