/** The totals bar: equity, today's PnL, status counts, DB path and size, refresh. Props only. */
import { Box, Text } from "ink";
import { formatBytes, formatClock, formatMoney, formatPct } from "./format.ts";
import type { InstanceView } from "./instance_view.ts";
import type { DisplayStatus } from "./status.ts";

/** Sums over every instance (not just the filtered ones). */
export interface Totals {
  readonly equityQuote: number;
  readonly todayPnlQuote: number;
  readonly todayPnlPct: number | null;
  readonly counts: Readonly<Record<DisplayStatus, number>>;
}

/** Adds up equity and today's PnL and counts statuses. */
export function totalsOf(views: readonly InstanceView[]): Totals {
  const counts = { running: 0, starting: 0, paused: 0, stale: 0, stopped: 0, halted: 0, error: 0 };
  let equityQuote = 0;
  let todayPnlQuote = 0;
  let dayStartQuote = 0;
  for (const view of views) {
    counts[view.derived.status]++;
    equityQuote += view.row.equityQuote ?? 0;
    todayPnlQuote += view.todayPnlQuote ?? 0;
    dayStartQuote += view.row.dayStartEquityQuote ?? 0;
  }
  const todayPnlPct = dayStartQuote > 0 ? todayPnlQuote / dayStartQuote * 100 : null;
  return { equityQuote, todayPnlQuote, todayPnlPct, counts };
}

/** What the bar shows. */
export interface TotalsBarProps {
  readonly totals: Totals;
  readonly dbLabel: string;
  readonly dbSizeBytes: number | null;
  readonly nowMs: number;
  readonly refreshTookMs: number | null;
  readonly colour: boolean;
}

/** Two lines: money and counts, then the DB and the last refresh. */
export function TotalsBar(props: TotalsBarProps) {
  const took = props.refreshTookMs === null ? "–" : `${props.refreshTookMs.toFixed(1)} ms`;
  return (
    <Box flexDirection="column">
      <MoneyAndCounts totals={props.totals} colour={props.colour} />
      <Text wrap="truncate-middle" dimColor>
        {`DB ${props.dbLabel} (${formatBytes(props.dbSizeBytes)})  refreshed ${
          formatClock(props.nowMs)
        } UTC in ${took}`}
      </Text>
    </Box>
  );
}

function MoneyAndCounts(props: { totals: Totals; colour: boolean }) {
  const { totals } = props;
  const c = (name: string | undefined) => props.colour ? name : undefined;
  const pnlColour = totals.todayPnlQuote > 0
    ? "green"
    : totals.todayPnlQuote < 0
    ? "red"
    : undefined;
  return (
    <Text wrap="truncate">
      {/* Template literals keep edge spaces that deno fmt trims from JSX text. */}
      <Text bold>{`Equity `}</Text>
      {formatMoney(totals.equityQuote)}
      <Text bold>{`  Today `}</Text>
      <Text color={c(pnlColour)}>
        {`${formatMoney(totals.todayPnlQuote, true)} ${formatPct(totals.todayPnlPct)}`}
      </Text>{"  "}
      <Text color={c("green")}>{`${totals.counts.running} running`}</Text>{"  "}
      <Text color={c("yellow")}>{`${totals.counts.stale} stale`}</Text>{"  "}
      <Text color={c("red")}>{`${totals.counts.error} errored`}</Text>{"  "}
      <Text color={c("magenta")}>{`${totals.counts.halted} halted`}</Text>
      {`  ${totals.counts.stopped} stopped`}
    </Text>
  );
}
