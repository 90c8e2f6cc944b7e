/** `--once`: the overview as plain text, every row, no colour, for scripts and pipes. */
import { Box, renderToString, Text } from "ink";
import type { DashboardSnapshot } from "../storage/dashboard_repo.ts";
import { toInstanceView } from "./instance_view.ts";
import { OverviewTable } from "./overview_table.tsx";
import { TotalsBar, totalsOf } from "./totals_bar.tsx";

/** What the plain overview shows. */
export interface OverviewTextOptions {
  readonly nowMs: number;
  readonly dbLabel: string;
  readonly dbSizeBytes: number | null;
  readonly refreshTookMs: number | null;
  readonly width: number;
}

/** Totals, the full table and any reasons (error, halt), without ANSI codes. */
export function renderOverviewText(
  snapshot: DashboardSnapshot,
  options: OverviewTextOptions,
): string {
  const views = snapshot.instances.map((row) => toInstanceView(row, options.nowMs));
  const reasons = views.filter((v) => v.derived.status !== "running" && v.derived.reason);
  const tree = (
    <Box flexDirection="column" width={options.width}>
      <TotalsBar totals={totalsOf(views)} {...options} colour={false} />
      {views.length === 0 ? <Text>no instances yet</Text> : (
        <OverviewTable
          views={views}
          selectedName={null}
          nowMs={options.nowMs}
          width={options.width}
          maxRows={views.length}
          colour={false}
        />
      )}
      {reasons.map((v) => (
        <Text key={v.row.name} wrap="truncate">
          {`! ${v.row.name} ${v.derived.status}: ${v.derived.reason}`}
        </Text>
      ))}
    </Box>
  );
  return stripAnsi(renderToString(tree, { columns: options.width }));
}

// Bold and dim are not colour, but a pipe wants neither.
function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((line) => line.trimEnd()).join("\n");
}
