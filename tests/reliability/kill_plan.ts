/**
 * The kill campaign's schedule and its per-kill evidence: which kill comes next (random delays
 * several times per candle, then one failpoint on the candle's order), and what the DB and the
 * exchange must show right after a failpoint kill for it to count as a hit of the order path.
 */
import { DatabaseSync } from "node:sqlite";
import type { FailpointName } from "../../src/trader/mod.ts";
import type { OrderView } from "../support/emulator_control.ts";

const MINUTE_MS = 60_000;

/** Failpoints in the order they are armed, one per candle: a buy sent, then its exit, then a row never sent. */
export const FAILPOINT_CYCLE: readonly FailpointName[] = [
  "order.after_send",
  "order.after_response",
  "order.after_insert",
];

/** One kill of the campaign. */
export type KillPoint =
  | { readonly kind: "delay"; readonly delayMs: number }
  | { readonly kind: "settled"; readonly delayMs: number }
  | { readonly kind: "failpoint"; readonly name: FailpointName };

/**
 * The seeded plan: cycles of `perCandle` random-delay kills followed by one failpoint kill, so
 * every candle sees several kills. Delays of 0.1–3 s land in start-up writes, reconciliation,
 * warm-up and heartbeats; one in four is 3–10 s (idle waits, heartbeats). A cycle's last delay
 * kill becomes `settled` when orders are unresolved, see `campaign`.
 */
export function killPlan(points: number, random: () => number, perCandle = 3): KillPoint[] {
  const plan: KillPoint[] = [];
  let cycle = 0;
  while (plan.length < points) {
    for (let i = 0; i < perCandle && plan.length < points; i++) {
      const long = random() < 0.25;
      const delayMs = long
        ? 3_000 + Math.floor(random() * 7_000)
        : 100 + Math.floor(random() * 2_900);
      plan.push({ kind: "delay", delayMs });
    }
    if (plan.length < points) {
      plan.push({ kind: "failpoint", name: FAILPOINT_CYCLE[cycle % FAILPOINT_CYCLE.length] });
    }
    cycle++;
  }
  return plan;
}

/** The first minute boundary at least `leadMs` after `nowMs`: the first entry's close. */
export function firstEntryCloseMs(nowMs: number, leadMs: number): number {
  return Math.ceil((nowMs + leadMs) / MINUTE_MS) * MINUTE_MS;
}

/** `PRAGMA integrity_check` of the file (opened read-write, as a restarted trader would). */
export function integrity(path: string): string {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    return (db.prepare("PRAGMA integrity_check").get() as { integrity_check: string })
      .integrity_check;
  } finally {
    db.close();
  }
}

/** Client ids of the instance's `submitting` rows. */
export function submittingIds(path: string, instance: string): string[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare(
      "SELECT client_order_id AS id FROM orders WHERE instance = ? AND status = 'submitting'",
    ).all(instance) as unknown as { id: string }[];
    return rows.map((r) => r.id);
  } finally {
    db.close();
  }
}

/** Counts of rows of `table` for the instance. */
export function countRows(path: string, table: "trades" | "orders", instance: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE instance = ?`).get(instance) as {
      n: number;
    }).n;
  } finally {
    db.close();
  }
}

/**
 * Why a failpoint kill is not evidence of the order path, or null when it is: after
 * `after_insert` a `submitting` row the exchange never saw; after `after_send` and
 * `after_response` a `submitting` row the exchange holds (sent, the DB not yet updated).
 */
export function failpointEvidence(
  name: FailpointName,
  submitting: readonly string[],
  atExchange: readonly OrderView[],
): string | null {
  const sent = new Set(atExchange.map((o) => o.clientOrderId));
  const wanted = name === "order.after_insert"
    ? submitting.filter((id) => !sent.has(id))
    : submitting.filter((id) => sent.has(id));
  if (wanted.length > 0) return null;
  return `${name}: no submitting row ${
    name === "order.after_insert" ? "missing from" : "present at"
  } the exchange (submitting: ${submitting.join(", ") || "none"})`;
}
