/** The detail view's top lines: who the instance is and how it is doing. Props only. */
import { Box, Text } from "ink";
import { modeCell } from "./columns.ts";
import { formatAge, formatMoney, formatNumber, formatPct } from "./format.ts";
import type { InstanceView } from "./instance_view.ts";
import { STATUS_COLOURS } from "./status.ts";

/** Name, badge, status (with reason), market, equity, position and PnL. */
export function InstanceHeader(props: { view: InstanceView; nowMs: number; colour: boolean }) {
  const { view, nowMs, colour } = props;
  const { row, derived } = view;
  const badge = modeCell(row.mode);
  const reason = derived.reason ? ` (${derived.reason})` : "";
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>{row.name}</Text>{" "}
        <Text inverse color={colour ? badge.colour : undefined}>{` ${badge.text} `}</Text>{" "}
        <Text color={colour ? STATUS_COLOURS[derived.status] : undefined}>
          {`${derived.status}${reason}`}
        </Text>
        {`  ${row.exchange} ${row.symbol} ${row.timeframe} ${row.strategy}  heartbeat ${
          formatAge(row.heartbeatMs, nowMs)
        }`}
      </Text>
      <Text wrap="truncate">
        {`Equity ${formatMoney(row.equityQuote)}  position ${formatNumber(row.positionBase)} @ ${
          formatNumber(row.entryPrice)
        }  unrealised ${formatMoney(view.unrealizedPnlQuote, true)} ${
          formatPct(view.unrealizedPnlPct)
        }  realised ${formatMoney(row.realizedPnlQuote, true)}  today ${
          formatMoney(view.todayPnlQuote, true)
        } ${formatPct(view.todayPnlPct)}`}
      </Text>
    </Box>
  );
}
