/**
 * Notification events: their names, how a trader's changes become events (each with a stable
 * id), and the per-instance filter of the YAML `notify` section.
 */
import type { ClosedTrade, Order } from "../core/types.ts";
import type { OutboxEvent } from "../storage/outbox_repo.ts";

/** Every event name a `notify.events` list may hold. */
export const NOTIFY_EVENTS = [
  "order_filled",
  "stop_hit",
  "take_profit_hit",
  "started",
  "stopped",
  "halted",
  "paused",
  "resumed",
  "error",
  "reconciliation_difference",
  "command",
  "heartbeat_stale",
  "daily_summary",
] as const;

/** Events sent only when a `notify.events` list names them. */
export const OPT_IN_EVENTS: readonly NotifyEventName[] = ["daily_summary"];

/** The name of a notification event. */
export type NotifyEventName = typeof NOTIFY_EVENTS[number];

/** Every channel a `notify.channels` list may hold. */
export const NOTIFY_CHANNELS = ["webhook", "telegram", "discord", "slack"] as const;

/** The name of a notification channel. */
export type NotifyChannelName = typeof NOTIFY_CHANNELS[number];

/** An instance's YAML `notify` section, or null when it has none. */
export interface NotifyFilterConfig {
  /** Events to send (`NOTIFY_EVENTS`); null: every event but the opt-in daily summary. */
  readonly events: readonly string[] | null;
  /** Channels to use (`NOTIFY_CHANNELS`); null: every channel configured in the environment. */
  readonly channels: readonly string[] | null;
  /** Fills that close a trade are sent only when |pnl| reaches this %; null: all. */
  readonly min_pnl_pct: number | null;
}

/** A notification before it has an instance channel list. */
export interface NotifyEvent extends OutboxEvent {
  readonly event: NotifyEventName;
}

/** True when the instance's filter lets `event` through (the trade's pnl, if it closed one). */
export function eventWanted(
  filter: NotifyFilterConfig | null,
  event: NotifyEventName,
  pnlPct: number | null = null,
): boolean {
  if (OPT_IN_EVENTS.includes(event)) return filter?.events?.includes(event) === true;
  if (filter === null) return true;
  if (filter.events !== null && !filter.events.includes(event)) return false;
  const min = filter.min_pnl_pct;
  return min === null || pnlPct === null || Math.abs(pnlPct) >= min;
}

/** What a fill notification is made of. */
export interface FillFacts {
  readonly instance: string;
  readonly order: Order;
  /** The trade the fill closed, or null (an entry). */
  readonly trade: ClosedTrade | null;
  readonly timeMs: number;
}

/** The event of a fully filled order; its id is the order's client id, so it is sent once. */
export function fillEvent(facts: FillFacts): NotifyEvent {
  const { order, trade, instance } = facts;
  const event: NotifyEventName = trade?.exitReason === "stop_loss" ||
      trade?.exitReason === "trailing_stop"
    ? "stop_hit"
    : trade?.exitReason === "take_profit"
    ? "take_profit_hit"
    : "order_filled";
  const price = order.averagePrice ?? order.price ?? 0;
  const head =
    `${instance}: ${order.side} ${shortNumber(order.filledBaseAmount)} ${order.symbol} ` +
    `at ${shortNumber(price)}`;
  const pnl = trade === null
    ? ""
    : `, trade closed (${trade.exitReason}) pnl ${shortNumber(trade.pnl)} (${
      shortNumber(trade.pnlPct)
    }%)`;
  return {
    id: `${instance}/fill/${order.clientOrderId}`,
    instance,
    event,
    timeMs: facts.timeMs,
    text: head + pnl,
    data: JSON.stringify({
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      baseAmount: order.filledBaseAmount,
      averagePrice: order.averagePrice,
      feeQuote: order.feeQuote,
      pnlQuote: trade?.pnl ?? null,
      pnlPct: trade?.pnlPct ?? null,
      exitReason: trade?.exitReason ?? null,
    }),
  };
}

/** An event about the instance itself (started, paused, error, …); `key` makes its id unique. */
export function instanceEvent(
  instance: string,
  event: NotifyEventName,
  at: { timeMs: number; key: string; text: string; data?: Record<string, unknown> },
): NotifyEvent {
  return {
    id: `${instance}/${event}/${at.key}`,
    instance,
    event,
    timeMs: at.timeMs,
    text: `${instance}: ${at.text}`,
    data: JSON.stringify(at.data ?? {}),
  };
}

/** A number as events print it: at most 8 significant digits, no trailing zeros. */
export function shortNumber(value: number): string {
  return String(Number(value.toPrecision(8)));
}

/** A status change of the instance row as an event, or null when it reports none (starting). */
export function statusChangeEvent(
  instance: string,
  change: { before: string; status: string; reason: string | null; timeMs: number },
): NotifyEvent | null {
  const event = STATUS_EVENTS[change.status];
  if (event === undefined) return null;
  const name: NotifyEventName = event === "started" && change.before !== "starting"
    ? "resumed"
    : event;
  const text = `${name.replace(/_/g, " ")}${change.reason ? `: ${change.reason}` : ""}`;
  return instanceEvent(instance, name, {
    timeMs: change.timeMs,
    key: `${change.timeMs}`,
    text,
    data: { status: change.status, previous: change.before, reason: change.reason },
  });
}

const STATUS_EVENTS: Readonly<Record<string, NotifyEventName>> = {
  running: "started",
  paused: "paused",
  halted: "halted",
  stopped: "stopped",
  error: "error",
};
