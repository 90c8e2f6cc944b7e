/** The whole screen for one state: totals or instance header, the view, a status line. */
import { Box, Text } from "ink";
import { DetailView } from "./detail_view.tsx";
import { HelpView } from "./help_view.tsx";
import { InstanceHeader } from "./instance_header.tsx";
import { type InstanceView, toInstanceView } from "./instance_view.ts";
import { OverviewTable } from "./overview_table.tsx";
import { type DashboardState, selectedInstance, visibleInstances } from "./state.ts";
import { TotalsBar, totalsOf } from "./totals_bar.tsx";

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
  const bodyHeight = Math.max(3, height - 3);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Top {...props} />
      <Box flexDirection="column" height={bodyHeight}>
        <Body {...props} lines={bodyHeight} />
      </Box>
      <StatusLine state={state} colour={colour} refreshMs={props.refreshMs} />
    </Box>
  );
}

// The selected instance's header in the detail view, the totals of every instance otherwise.
function Top(props: DashboardViewProps) {
  const { state, colour } = props;
  const selected = selectedInstance(state);
  if (state.view === "detail" && selected) {
    return <InstanceHeader view={selected} nowMs={state.nowMs} colour={colour} />;
  }
  const all = (state.snapshot?.instances ?? []).map((row) => toInstanceView(row, state.nowMs));
  return (
    <TotalsBar
      totals={totalsOf(all)}
      dbLabel={props.dbLabel}
      dbSizeBytes={state.dbSizeBytes}
      nowMs={state.nowMs}
      refreshTookMs={state.refreshTookMs}
      colour={colour}
    />
  );
}

function Body(props: DashboardViewProps & { lines: number }) {
  const { state, width, colour } = props;
  if (state.view === "help") return <HelpView refreshMs={props.refreshMs} />;
  const selected = selectedInstance(state);
  if (state.view === "detail" && selected) {
    return (
      <DetailView
        view={selected}
        detail={state.detail}
        logLines={state.logLines}
        width={width}
        height={props.lines}
        colour={colour}
      />
    );
  }
  if (state.snapshot === null) {
    return <Text dimColor>{state.error ? "waiting for the database…" : "loading…"}</Text>;
  }
  const views = visibleInstances(state);
  if (views.length === 0) {
    const why = state.filterText ? `no instance matches "${state.filterText}"` : "no instances yet";
    return <Text dimColor>{`  ${why}`}</Text>;
  }
  return <Overview {...props} views={views} />;
}

// The table plus a line for each of the first few instances that are not running, with why.
function Overview(props: DashboardViewProps & { lines: number; views: InstanceView[] }) {
  const { state, views, colour } = props;
  const alerts = views.filter((v) => v.derived.status !== "running" && v.derived.reason)
    .slice(0, MAX_ALERTS);
  return (
    <Box flexDirection="column">
      <OverviewTable
        views={views}
        selectedName={state.selectedName}
        nowMs={state.nowMs}
        width={props.width}
        maxRows={Math.max(1, props.lines - 1 - alerts.length)}
        colour={colour}
      />
      {alerts.map((v) => (
        <Text key={`alert-${v.row.name}`} wrap="truncate" color={colour ? "yellow" : undefined}>
          {`! ${v.row.name} ${v.derived.status}: ${v.derived.reason}`}
        </Text>
      ))}
    </Box>
  );
}

const CONFIRM_HINTS: Readonly<Record<string, string>> = {
  pause: "(no new entries until resumed)",
  resume: "(entries allowed again)",
  stop: "(the trader process ends)",
  exit: "(sells the position at market now)",
};

function StatusLine(props: { state: DashboardState; colour: boolean; refreshMs: number }) {
  const { state, colour } = props;
  if (state.error) {
    return (
      <Text wrap="truncate" color={colour ? "red" : undefined}>
        {`${state.error} — retrying every ${props.refreshMs} ms`}
      </Text>
    );
  }
  if (state.filterEditing) return <Text wrap="truncate">{`/${state.filterText}█`}</Text>;
  if (state.confirm !== null) {
    const { action, name } = state.confirm;
    return (
      <Text wrap="truncate" color={colour ? "yellow" : undefined}>
        {`${action} ${name}? ${CONFIRM_HINTS[action]}  y: yes, any other key: no`}
      </Text>
    );
  }
  if (state.controlLine !== null) {
    return <Text wrap="truncate" color={colour ? "cyan" : undefined}>{state.controlLine}</Text>;
  }
  const filter = state.filterText ? `filter "${state.filterText}"  ` : "";
  const sort = `sort ${state.sortKey}${state.sortDescending ? " ↓" : ""}`;
  const steer = state.control ? "p pause  r resume  t stop  e exit  " : "";
  const keys = state.view === "detail"
    ? `Esc back  ${steer}? help  q quit`
    : `Enter detail  / filter  s sort  ${steer}? help  q quit`;
  return <Text wrap="truncate" dimColor>{`${filter}${sort}  │  ${keys}`}</Text>;
}
