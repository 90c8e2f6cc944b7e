/** The detail view's top lines: who the instance is and how it is doing. Props only. */
import { createElement as h } from "react";
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
  return h(
    Box,
    { flexDirection: "column" },
    h(
      Text,
      { wrap: "truncate" },
      h(Text, { bold: true }, row.name),
      " ",
      h(Text, { inverse: true, color: colour ? badge.colour : undefined }, ` ${badge.text} `),
      " ",
      h(
        Text,
        { color: colour ? STATUS_COLOURS[derived.status] : undefined },
        `${derived.status}${reason}`,
      ),
      `  ${row.exchange} ${row.symbol} ${row.timeframe} ${row.strategy}  heartbeat ${
        formatAge(row.heartbeatMs, nowMs)
      }`,
    ),
    h(
      Text,
      { wrap: "truncate" },
      `Equity ${formatMoney(row.equityQuote)}  position ${formatNumber(row.positionBase)} @ ${
        formatNumber(row.entryPrice)
      }  unrealised ${formatMoney(view.unrealizedPnlQuote, true)} ${
        formatPct(view.unrealizedPnlPct)
      }  realised ${formatMoney(row.realizedPnlQuote, true)}  today ${
        formatMoney(view.todayPnlQuote, true)
      } ${formatPct(view.todayPnlPct)}`,
    ),
  );
}
