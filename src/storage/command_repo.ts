/**
 * `instance_commands`: what an operator asked a running instance to do (`deno task ctl`, the
 * dashboard with `--control`), and the trader's acknowledgement. Neither side needs the other's
 * process or the exchange: the database carries the request and the answer.
 */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import { camelRow } from "./_statements.ts";

/** Every action an operator can ask for. */
export const COMMAND_ACTIONS = ["pause", "resume", "stop", "exit"] as const;

/** One operator action. */
export type CommandAction = typeof COMMAND_ACTIONS[number];

/** A command as stored. */
export interface InstanceCommand {
  readonly id: number;
  readonly instance: string;
  readonly action: CommandAction;
  readonly requestedBy: string;
  readonly requestedMs: number;
  /** When the trader acknowledged it; null while pending. */
  readonly ackedMs: number | null;
  /** What the trader did, once acknowledged. */
  readonly outcome: string | null;
}

/** Reads and writes operator commands. */
export class CommandRepo {
  #insert: SqlStatement;
  #pending: SqlStatement;
  #ack: SqlStatement;
  #get: SqlStatement;
  #lastHold: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#insert = db.prepare(
      "INSERT INTO instance_commands (instance, action, requested_by, requested_ms) " +
        "VALUES (?, ?, ?, ?)",
    );
    this.#pending = db.prepare(
      "SELECT * FROM instance_commands WHERE instance = ? AND acked_ms IS NULL ORDER BY id",
    );
    this.#ack = db.prepare(
      "UPDATE instance_commands SET acked_ms = ?, outcome = ? WHERE id = ? AND acked_ms IS NULL",
    );
    this.#get = db.prepare("SELECT * FROM instance_commands WHERE id = ?");
    this.#lastHold = db.prepare(
      "SELECT * FROM instance_commands WHERE instance = ? AND acked_ms IS NOT NULL " +
        "AND action IN ('pause', 'resume') ORDER BY id DESC LIMIT 1",
    );
  }

  /** Queues a command; returns its id. */
  request(instance: string, action: CommandAction, by: string, nowMs: number): number {
    return Number(this.#insert.run(instance, action, by, nowMs).lastInsertRowid);
  }

  /** The instance's commands not acknowledged yet, oldest first. */
  pending(instance: string): InstanceCommand[] {
    return this.#pending.all(instance).map((row) => camelRow<InstanceCommand>(row));
  }

  /** Acknowledges a command with what was done; false when it was acknowledged already. */
  acknowledge(id: number, nowMs: number, outcome: string): boolean {
    return Number(this.#ack.run(nowMs, outcome, id).changes) === 1;
  }

  /** The command `id`, or null. */
  get(id: number): InstanceCommand | null {
    const row = this.#get.get(id);
    return row ? camelRow<InstanceCommand>(row) : null;
  }

  /** The last acknowledged pause or resume of `instance` (a restart keeps a pause), or null. */
  lastHold(instance: string): InstanceCommand | null {
    const row = this.#lastHold.get(instance);
    return row ? camelRow<InstanceCommand>(row) : null;
  }
}
