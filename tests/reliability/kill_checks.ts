/**
 * What the kill campaign checks: the evidence of a failpoint kill,
 * and at the end every lane's books against every order on its exchange account (not only those
 * with its prefix): each order known to the DB with its status, filled amount and fills, no intent sent
 * twice under two client ids, buys and sells that pair up, and the base balance equal to the
 * position the DB holds (within one amount step).
 */
import type { DatabaseSync } from "node:sqlite";
import { withDb } from "./kill_db.ts";
import type { FailpointName } from "../../src/trader/mod.ts";

/** An order on the exchange account, as the end checks need it. */
export interface AccountOrder {
  readonly clientOrderId: string;
  readonly side: string;
  readonly type: string;
  readonly status: string;
  readonly executedQty: number;
  readonly orderId: number;
  readonly updateTimeMs: number;
}

interface OrderRow {
  client_order_id: string;
  status: string;
  side: string;
  filled_base_amount: number;
  exchange_order_id: string | null;
  /** Sum of the row's stored fills. */
  fills_base_amount: number;
}

const STATUS: Readonly<Record<string, string>> = {
  NEW: "open",
  PARTIALLY_FILLED: "partially_filled",
  FILLED: "filled",
  CANCELED: "canceled",
  EXPIRED: "canceled",
  REJECTED: "rejected",
};

/** Purposes one candle's decision makes at most one order for: entry, exit, end of run. */
const ONCE_PER_CANDLE = new Set(["e", "x", "n"]);

/**
 * Why a failpoint kill is not evidence of the order path, or null when it is: after
 * `order.after_insert` a `submitting` row the exchange never saw; after `order.after_send`,
 * `order.send_unconfirmed` and `order.after_response` a `submitting` row the exchange holds;
 * other failpoints need no evidence beyond the trace.
 */
export function failpointEvidence(
  name: FailpointName,
  submitting: readonly string[],
  atExchange: readonly { clientOrderId: string }[],
): string | null {
  const sent = new Set(atExchange.map((o) => o.clientOrderId));
  const unsent = name === "order.after_insert";
  if (!unsent && !SENT_EVIDENCE.has(name)) return null;
  const wanted = submitting.filter((id) => sent.has(id) !== unsent);
  if (wanted.length > 0) return null;
  return `${name}: no submitting row ${unsent ? "missing from" : "present at"} the exchange ` +
    `(submitting: ${submitting.join(", ") || "none"})`;
}

const SENT_EVIDENCE: ReadonlySet<FailpointName> = new Set([
  "order.after_send",
  "order.send_unconfirmed",
  "order.after_response",
]);

/** A live lane at the end: every order on its account, and what the account holds. */
export interface LiveLaneEnd {
  readonly name: string;
  readonly orders: readonly AccountOrder[];
  /** Free plus locked base of the account. */
  readonly baseAtExchange: number;
  readonly amountStep: number;
}

/** Every way a live lane's books differ from its exchange account, as lines. */
export function liveLaneProblems(path: string, lane: LiveLaneEnd): string[] {
  return withDb(path, (db) => {
    const rows = orderRows(db, lane.name);
    const problems = [
      ...ordersAgainstRows(lane.orders, rows),
      ...intentTwice(lane.orders.map((o) => o.clientOrderId)),
      ...unpaired(filledSides(lane.orders)),
    ];
    const position = dbPosition(db, lane.name);
    for (const [what, base] of Object.entries(position)) {
      if (Math.abs(base - lane.baseAtExchange) > lane.amountStep) {
        problems.push(`base: exchange ${lane.baseAtExchange}, DB ${what} ${base}`);
      }
    }
    const resting = lane.orders.filter((o) => o.side === "SELL" && STATUS[o.status] === "open");
    if (resting.length > 1) {
      problems.push(`${resting.length} sells rest at once: ${resting.map((o) => o.clientOrderId)}`);
    }
    return problems;
  });
}

/** A paper lane's rows: no intent twice, buys and sells pair up, fills equal to the position. */
export function paperLaneProblems(path: string, name: string): string[] {
  return withDb(path, (db) => {
    const rows = orderRows(db, name);
    const filled = rows.filter((r) => r.filled_base_amount > 0)
      .map((r) => (r.side === "buy" ? "BUY" : "SELL"));
    const position = dbPosition(db, name);
    const problems = [...intentTwice(rows.map((r) => r.client_order_id)), ...unpaired(filled)];
    if (Math.abs(position.state - position.fills) > 1e-9) {
      problems.push(`position: state ${position.state}, fills ${position.fills}`);
    }
    return problems;
  });
}

/** Each account order against its row; rows the exchange never saw must say so. */
function ordersAgainstRows(orders: readonly AccountOrder[], rows: readonly OrderRow[]): string[] {
  const byId = new Map(rows.map((r) => [r.client_order_id, r]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const order of orders) {
    const id = order.clientOrderId;
    if (seen.has(id)) problems.push(`client id twice at the exchange: ${id}`);
    seen.add(id);
    const row = byId.get(id);
    if (row === undefined) {
      problems.push(`exchange order ${id} (${order.status}) not in the DB`);
      continue;
    }
    const want = [STATUS[order.status], order.executedQty];
    const got = [row.status, row.filled_base_amount];
    if (want[0] !== got[0] || Math.abs(order.executedQty - row.filled_base_amount) > 1e-9) {
      problems.push(`${id}: exchange ${want.join(" ")}, DB ${got.join(" ")}`);
    }
    if (Math.abs(order.executedQty - row.fills_base_amount) > 1e-9) {
      problems.push(
        `${id}: exchange filled ${order.executedQty}, DB fills ${row.fills_base_amount}`,
      );
    }
  }
  for (const row of rows) {
    if (seen.has(row.client_order_id)) continue;
    const neverSent = row.status === "failed" || row.status === "rejected";
    const held = row.exchange_order_id === "local" && row.filled_base_amount === 0;
    if (!neverSent && !held) {
      problems.push(`DB order ${row.client_order_id} (${row.status}) not at the exchange`);
    }
  }
  return problems;
}

/** Entries, exits and ends of one candle under two client ids (the candle decided twice). */
export function intentTwice(clientOrderIds: readonly string[]): string[] {
  const byIntent = new Map<string, string[]>();
  for (const id of clientOrderIds) {
    const match = /^(.+)-([0-9a-z]+)-([exstrn])[0-9a-z]+$/.exec(id);
    if (match === null || !ONCE_PER_CANDLE.has(match[3])) continue;
    const key = `${match[1]}-${match[2]}-${match[3]}`;
    byIntent.set(key, [...byIntent.get(key) ?? [], id]);
  }
  return [...byIntent.values()].filter((ids) => ids.length > 1)
    .map((ids) => `one candle's intent sent twice: ${ids.join(", ")}`);
}

/** Sides of the filled orders in the order they filled. */
function filledSides(orders: readonly AccountOrder[]): string[] {
  return orders.filter((o) => o.executedQty > 0)
    .toSorted((a, b) => a.updateTimeMs - b.updateTimeMs || a.orderId - b.orderId)
    .map((o) => o.side);
}

/** Buys and sells alternate from a buy (a position is entered, then left, before the next). */
export function unpaired(sides: readonly string[]): string[] {
  const wrong = sides.findIndex((side, i) => side !== (i % 2 === 0 ? "BUY" : "SELL"));
  if (wrong < 0) return [];
  return [`fill ${wrong + 1} of ${sides.join(" ")} breaks the buy-sell pairs`];
}

/** The position the DB holds: the saved kernel's base, and the sum of the stored fills. */
function dbPosition(db: DatabaseSync, name: string): { state: number; fills: number } {
  const state = db.prepare("SELECT state FROM instances WHERE name = ?").get(name) as
    | { state: string | null }
    | undefined;
  const kernel = state?.state ? JSON.parse(state.state).kernel : null;
  const fills = db.prepare(
    `SELECT coalesce(sum(CASE WHEN side = 'buy' THEN base_amount - fee_base_amount
       ELSE -base_amount END), 0) AS base FROM fills WHERE instance = ?`,
  ).get(name) as { base: number };
  return { state: kernel?.baseFree ?? 0, fills: fills.base };
}

function orderRows(db: DatabaseSync, name: string): OrderRow[] {
  return db.prepare(
    `SELECT client_order_id, status, side, filled_base_amount, exchange_order_id,
       (SELECT coalesce(sum(base_amount), 0) FROM fills f
        WHERE f.client_order_id = o.client_order_id) AS fills_base_amount
     FROM orders o WHERE instance = ?`,
  ).all(name) as unknown as OrderRow[];
}
