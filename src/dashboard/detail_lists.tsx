/** The detail view's lists: open orders, last trades and the log tail. Props only. */
import { Box, Text } from "ink";
import { formatUtc } from "../core/format_time.ts";
import type { InstanceDetail } from "../storage/dashboard_repo.ts";
import { fit, formatMoney, formatNumber, formatPct } from "./format.ts";
import { formatLogLine, logLevelColour } from "./log_line.ts";

/** What the order list shows. */
export interface OrderListProps {
  readonly detail: InstanceDetail;
  /** Lines available, the title included. */
  readonly lines: number;
  readonly width: number;
}

/** The instance's open orders, as many as fit. */
export function OrderList(props: OrderListProps) {
  const orders = props.detail.openOrders;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">{`Open orders (${orders.length})`}</Text>
      {orders.slice(0, Math.max(0, props.lines - 1)).map((order) => (
        <Text key={order.clientOrderId} wrap="truncate">
          {`  ${order.side} ${order.type} ${formatNumber(order.baseAmount)} @ ${
            formatNumber(order.price)
          } ${order.status} ${order.intent}`}
        </Text>
      ))}
    </Box>
  );
}

/** What the trade list shows. */
export interface TradeListProps extends OrderListProps {
  readonly colour: boolean;
}

/** The last closed trades, newest first, with PnL coloured by sign. */
export function TradeList(props: TradeListProps) {
  const trades = props.detail.trades;
  return (
    <Box flexDirection="column" height={props.lines}>
      <Text bold wrap="truncate">{`Last trades (${trades.length}, newest first)`}</Text>
      {trades.slice(0, Math.max(0, props.lines - 1)).map((trade, index) => {
        const pnl = `${formatMoney(trade.pnl, true)} ${formatPct(trade.pnlPct)}`;
        const colour = props.colour ? (trade.pnl >= 0 ? "green" : "red") : undefined;
        return (
          <Text key={String(index)} wrap="truncate">
            {`${formatUtc(trade.exitTimeMs)} ${
              fit(formatNumber(trade.entryPrice), 10, "right")
            } → ${fit(formatNumber(trade.exitPrice), 10, "right")} `}
            <Text color={colour}>{fit(pnl, 18, "right")}</Text>
            {` ${trade.exitReason}`}
          </Text>
        );
      })}
    </Box>
  );
}

/** What the log list shows. */
export interface LogListProps {
  readonly lines: readonly string[];
  /** Lines available, the title included. */
  readonly height: number;
  readonly width: number;
  readonly colour: boolean;
}

/** The newest log lines that fit, coloured by level. */
export function LogList(props: LogListProps) {
  const shown = props.lines.slice(-Math.max(0, props.height - 1)).map(formatLogLine);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">{`Log (last ${props.lines.length} lines)`}</Text>
      {shown.map((line, index) => (
        <Text
          key={String(index)}
          wrap="truncate"
          color={props.colour ? logLevelColour(line.level) : undefined}
        >
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
