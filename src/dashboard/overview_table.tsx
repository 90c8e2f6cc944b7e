/** The overview table: a header and one row per visible instance. Props only. */
import { Box, Text } from "ink";
import { type Column, columnsFor } from "./columns.ts";
import { fit } from "./format.ts";
import type { InstanceView } from "./instance_view.ts";

/** What the table shows. */
export interface OverviewTableProps {
  readonly views: readonly InstanceView[];
  readonly selectedName: string | null;
  readonly nowMs: number;
  readonly width: number;
  /** Rows available for instances (the header not included). */
  readonly maxRows: number;
  readonly colour: boolean;
}

/** The table, scrolled so the selected row is visible. */
export function OverviewTable(props: OverviewTableProps) {
  const columns = columnsFor(props.width);
  const header = columns.map((column) => fit(column.title, column.width, column.align)).join(" ");
  const { first, shown } = scrollWindow(props);
  const more = props.views.length - first - shown.length;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">{header}</Text>
      {shown.map((view) => (
        <Row
          key={view.row.name}
          view={view}
          columns={columns}
          nowMs={props.nowMs}
          selected={view.row.name === props.selectedName}
          colour={props.colour}
        />
      ))}
      {first > 0 || more > 0
        ? <Text dimColor>{`  ${first} above, ${Math.max(0, more)} below`}</Text>
        : null}
    </Box>
  );
}

interface RowProps {
  readonly view: InstanceView;
  readonly columns: readonly Column[];
  readonly nowMs: number;
  readonly selected: boolean;
  readonly colour: boolean;
}

function Row(props: RowProps) {
  const last = props.columns.length - 1;
  return (
    <Text wrap="truncate" inverse={props.selected}>
      {props.columns.map((column, index) => {
        const cell = column.cell(props.view, props.nowMs);
        const text = fit(cell.text, column.width, column.align) + (index < last ? " " : "");
        return <Text key={column.id} color={props.colour ? cell.colour : undefined}>{text}</Text>;
      })}
    </Text>
  );
}

function scrollWindow(props: OverviewTableProps): { first: number; shown: InstanceView[] } {
  const all = props.views;
  // Leave one line for the "above/below" hint when not everything fits.
  const capacity = all.length > props.maxRows ? Math.max(1, props.maxRows - 1) : props.maxRows;
  const selected = Math.max(0, all.findIndex((view) => view.row.name === props.selectedName));
  const first = Math.min(Math.max(0, selected - capacity + 1), Math.max(0, all.length - capacity));
  return { first, shown: all.slice(first, first + capacity) };
}
