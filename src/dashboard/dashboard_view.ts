/** The whole screen for one state: totals or instance header, the view, a status line. */
import { createElement as h } from "react";
import { Box, Text } from "ink";
import { DetailView } from "./detail_view.ts";
import { HelpView } from "./help_view.ts";
import { InstanceHeader } from "./instance_header.ts";
import { OverviewTable } from "./overview_table.ts";
import { type DashboardState, selectedInstance, visibleInstances } from "./state.ts";
import { TotalsBar, totalsOf } from "./totals_bar.ts";
import { toInstanceView } from "./instance_view.ts";

/** Everything the screen shows comes from these props. */
export interface DashboardViewProps {
  readonly state: DashboardState;
  readonly width: number;
  readonly height: number;
  readonly dbLabel: string;
  readonly refreshMs: number;
  readonly colour: boolean;
}

const MAX_ALERTS = 3;

/** The full-screen view; pure function of its props. */
export function DashboardView(props: DashboardViewProps) {
  const { state, width, height, colour } = props;
  const all = (state.snapshot?.instances ?? []).map((row) => toInstanceView(row, state.nowMs));
  const selected = selectedInstance(state);
  const top = state.view === "detail" && selected
    ? h(InstanceHeader, { view: selected, nowMs: state.nowMs, colour })
    : h(TotalsBar, {
      totals: totalsOf(all),
      dbLabel: props.dbLabel,
      dbSizeBytes: state.dbSizeBytes,
      nowMs: state.nowMs,
      refreshTookMs: state.refreshTookMs,
      colour,
    });
  const bodyHeight = Math.max(3, height - 3);
  return h(
    Box,
    { flexDirection: "column", width, height },
    top,
    h(Box, { flexDirection: "column", height: bodyHeight }, body(props, bodyHeight)),
    h(StatusLine, { state, colour, refreshMs: props.refreshMs }),
  );
}

function body(props: DashboardViewProps, lines: number) {
  const { state, width, colour } = props;
  if (state.view === "help") return h(HelpView, { refreshMs: props.refreshMs });
  const selected = selectedInstance(state);
  if (state.view === "detail" && selected) {
    return h(DetailView, {
      view: selected,
      detail: state.detail,
      logLines: state.logLines,
      width,
      height: lines,
      colour,
    });
  }
  if (state.snapshot === null) {
    return h(Text, { dimColor: true }, state.error ? "waiting for the database…" : "loading…");
  }
  const views = visibleInstances(state);
  if (views.length === 0) {
    const why = state.filterText ? `no instance matches "${state.filterText}"` : "no instances yet";
    return h(Text, { dimColor: true }, `  ${why}`);
  }
  const alerts = views.filter((v) => v.derived.status !== "running" && v.derived.reason)
    .slice(0, MAX_ALERTS);
  return h(
    Box,
    { flexDirection: "column" },
    h(OverviewTable, {
      views,
      selectedName: state.selectedName,
      nowMs: state.nowMs,
      width,
      maxRows: Math.max(1, lines - 1 - alerts.length),
      colour,
    }),
    ...alerts.map((v) =>
      h(
        Text,
        { key: `alert-${v.row.name}`, wrap: "truncate", color: colour ? "yellow" : undefined },
        `! ${v.row.name} ${v.derived.status}: ${v.derived.reason}`,
      )
    ),
  );
}

function StatusLine(props: { state: DashboardState; colour: boolean; refreshMs: number }) {
  const { state, colour } = props;
  if (state.error) {
    return h(
      Text,
      { wrap: "truncate", color: colour ? "red" : undefined },
      `${state.error} — retrying every ${props.refreshMs} ms`,
    );
  }
  if (state.filterEditing) return h(Text, { wrap: "truncate" }, `/${state.filterText}█`);
  const filter = state.filterText ? `filter "${state.filterText}"  ` : "";
  const sort = `sort ${state.sortKey}${state.sortDescending ? " ↓" : ""}`;
  const keys = state.view === "detail"
    ? "Esc back  ? help  q quit"
    : "Enter detail  / filter  s sort  ? help  q quit";
  return h(Text, { wrap: "truncate", dimColor: true }, `${filter}${sort}  │  ${keys}`);
}
