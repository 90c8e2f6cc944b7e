/**
 * `notify_outbox`: notifications waiting for delivery, one row per event and channel. The trader
 * writes a row in the transaction of the change it reports; the sender deletes it once the channel
 * accepted it. The table is bounded per instance: past `limit` rows the instance's oldest are dropped and counted in
 * `notify_dropped`, so a dead channel cannot fill the disk.
 */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import { camelRow } from "./_statements.ts";
import { writeTransaction } from "./write_transaction.ts";

/** A notification as the outbox holds it. */
export interface OutboxEvent {
  /** Stable id, the same on every attempt: receivers drop duplicates by it. */
  readonly id: string;
  readonly instance: string;
  readonly event: string;
  readonly timeMs: number;
  /** Human-readable, one or a few lines. */
  readonly text: string;
  /** Event details as JSON text. */
  readonly data: string;
}

/** One pending delivery: an event to one channel. */
export interface OutboxRow extends OutboxEvent {
  /** Insertion order; deliveries to a channel follow it. */
  readonly seq: number;
  readonly channel: string;
  readonly attempts: number;
  /** Not retried before this wall time. */
  readonly nextMs: number;
  readonly lastError: string | null;
}

/** Most rows the outbox keeps by default. */
export const OUTBOX_LIMIT = 10_000;

/** Reads and writes the notification outbox. */
export class OutboxRepo {
  #db: SqlDatabase;
  #insert: SqlStatement;
  #count: SqlStatement;
  #dropOldest: SqlStatement;
  #countDropped: SqlStatement;
  #dropped: SqlStatement;
  #head: SqlStatement;
  #delete: SqlStatement;
  #retry: SqlStatement;
  #pending: SqlStatement;
  #once: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#db = db;
    this.#insert = db.prepare(
      "INSERT INTO notify_outbox (id, channel, instance, event, time_ms, text, data, attempts, " +
        "next_ms) VALUES (:id, :channel, :instance, :event, :time_ms, :text, :data, 0, 0) " +
        "ON CONFLICT (id, channel) DO NOTHING",
    );
    this.#count = db.prepare("SELECT COUNT(*) AS n FROM notify_outbox WHERE instance = ?");
    this.#dropOldest = db.prepare(
      "DELETE FROM notify_outbox WHERE seq IN " +
        "(SELECT seq FROM notify_outbox WHERE instance = ? ORDER BY seq LIMIT ?)",
    );
    this.#countDropped = db.prepare(
      "INSERT INTO notify_dropped (instance, dropped) VALUES (?, ?) " +
        "ON CONFLICT (instance) DO UPDATE SET dropped = notify_dropped.dropped + excluded.dropped",
    );
    this.#dropped = db.prepare("SELECT dropped FROM notify_dropped WHERE instance = ?");
    this.#head = db.prepare(
      "SELECT * FROM notify_outbox WHERE instance = ? AND channel = ? ORDER BY seq LIMIT 1",
    );
    this.#delete = db.prepare("DELETE FROM notify_outbox WHERE seq = ?");
    this.#retry = db.prepare(
      "UPDATE notify_outbox SET attempts = attempts + 1, next_ms = ?, last_error = ? WHERE seq = ?",
    );
    this.#pending = db.prepare("SELECT * FROM notify_outbox WHERE instance = ? ORDER BY seq");
    this.#once = db.prepare(
      "INSERT INTO notify_once (id, instance, time_ms) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
    );
  }

  /**
   * Queues `event` like `add`, but only the first time its id is ever offered, by any instance:
   * its rows leaving the outbox on delivery do not let it in again. False when it was offered before.
   */
  addOnce(event: OutboxEvent, channels: readonly string[], limit = OUTBOX_LIMIT): boolean {
    if (channels.length === 0) return false;
    return writeTransaction(this.#db, () => {
      if (Number(this.#once.run(event.id, event.instance, event.timeMs).changes) !== 1) {
        return false;
      }
      this.add(event, channels, limit);
      return true;
    });
  }

  /**
   * Queues `event` for each channel (joins the caller's transaction); an id already queued is
   * left alone. Returns how many old rows were dropped to stay within `limit`.
   */
  add(event: OutboxEvent, channels: readonly string[], limit = OUTBOX_LIMIT): number {
    if (channels.length === 0) return 0;
    return writeTransaction(this.#db, () => {
      for (const channel of channels) {
        this.#insert.run({
          id: event.id,
          channel,
          instance: event.instance,
          event: event.event,
          time_ms: event.timeMs,
          text: event.text,
          data: event.data,
        });
      }
      const excess = this.size(event.instance) - limit;
      if (excess <= 0) return 0;
      this.#dropOldest.run(event.instance, excess);
      this.#countDropped.run(event.instance, excess);
      return excess;
    });
  }

  /** The oldest pending delivery of `instance` to `channel`, or null. */
  head(instance: string, channel: string): OutboxRow | null {
    const row = this.#head.get(instance, channel);
    return row ? camelRow<OutboxRow>(row) : null;
  }

  /** The channel accepted the row (or refused it for good): it leaves the outbox. */
  delivered(seq: number): void {
    this.#delete.run(seq);
  }

  /** A failed attempt: retried not before `nextMs`. */
  failed(seq: number, nextMs: number, error: string): void {
    this.#retry.run(nextMs, error.slice(0, 500), seq);
  }

  /** Every pending delivery of `instance`, oldest first. */
  pending(instance: string): OutboxRow[] {
    return this.#pending.all(instance).map((row) => camelRow<OutboxRow>(row));
  }

  /** Rows of `instance` dropped because the outbox was full. */
  dropped(instance: string): number {
    return Number(this.#dropped.get(instance)?.dropped ?? 0);
  }

  /** Pending rows of `instance`. */
  size(instance: string): number {
    return Number(this.#count.get(instance)?.n ?? 0);
  }
}
