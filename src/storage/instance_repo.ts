/** `instances`: one row per running instance, with heartbeat, status and state snapshot. */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import { camelRow, PatchStatements, snakeParams, upsertSql } from "./_statements.ts";

/** Instance lifecycle statuses shown by the dashboard. */
export type InstanceStatus = "starting" | "running" | "stopped" | "halted" | "error" | "paused";

/** One instance row. `state` and `config` are JSON values (stored as text). */
export interface InstanceRecord {
  readonly name: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly strategy: string;
  readonly mode: string;
  readonly status: InstanceStatus;
  readonly statusReason: string | null;
  readonly pid: number | null;
  readonly startedMs: number;
  readonly heartbeatMs: number;
  readonly equityQuote: number | null;
  readonly quoteBalance: number | null;
  readonly positionBase: number;
  readonly entryPrice: number | null;
  readonly lastPrice: number | null;
  readonly realizedPnlQuote: number;
  readonly lastSignal: string | null;
  readonly lastSignalMs: number | null;
  readonly openOrders: number;
  readonly lastError: string | null;
  readonly state: unknown;
  readonly config: unknown;
}

/** What `quietSince` reads of an instance row. */
export type QuietInstance = Pick<
  InstanceRecord,
  "name" | "timeframe" | "status" | "statusReason" | "lastError" | "heartbeatMs"
>;

/** Fields an instance updates with each heartbeat; `name` and `startedMs` never change. */
export type InstancePatch = Partial<Omit<InstanceRecord, "name" | "startedMs">>;

function encode(record: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record };
  for (const key of ["state", "config"]) {
    if (key in out && out[key] !== undefined) out[key] = JSON.stringify(out[key] ?? null);
  }
  return out;
}

function decode(row: unknown): InstanceRecord {
  const record = camelRow<Record<string, unknown>>(row);
  for (const key of ["state", "config"]) {
    record[key] = typeof record[key] === "string" ? JSON.parse(record[key] as string) : null;
  }
  return record as unknown as InstanceRecord;
}

const COLUMNS = [
  "name",
  "exchange",
  "symbol",
  "timeframe",
  "strategy",
  "mode",
  "status",
  "status_reason",
  "pid",
  "started_ms",
  "heartbeat_ms",
  "equity_quote",
  "quote_balance",
  "position_base",
  "entry_price",
  "last_price",
  "realized_pnl_quote",
  "last_signal",
  "last_signal_ms",
  "open_orders",
  "last_error",
  "state",
  "config",
];

/** Each instance writes only its own row; the dashboard lists them all. */
export class InstanceRepo {
  #upsert: SqlStatement;
  #get: SqlStatement;
  #list: SqlStatement;
  #live: SqlStatement;
  #patch: PatchStatements;

  constructor(db: SqlDatabase) {
    this.#upsert = db.prepare(upsertSql("instances", COLUMNS, ["name"]));
    this.#get = db.prepare("SELECT * FROM instances WHERE name = ?");
    this.#list = db.prepare("SELECT * FROM instances ORDER BY name");
    this.#live = db.prepare(
      "SELECT name, timeframe, status, status_reason, last_error, heartbeat_ms FROM instances " +
        "WHERE status NOT IN ('stopped', 'error') AND heartbeat_ms < ? ORDER BY name",
    );
    this.#patch = new PatchStatements(db, "instances", "name");
  }

  /** Writes the whole row (at start-up). A single statement is its own transaction. */
  upsert(record: InstanceRecord): void {
    this.#upsert.run(snakeParams(encode(record)));
  }

  /** Updates some fields (heartbeat, status, position…); false when the instance is unknown. */
  update(name: string, patch: InstancePatch): boolean {
    return this.#patch.run(name, encode(patch)) === 1;
  }

  /** Records a heartbeat with optional other fields. */
  heartbeat(name: string, heartbeatMs: number, patch: InstancePatch = {}): boolean {
    return this.update(name, { ...patch, heartbeatMs });
  }

  /** Sets status and its reason. */
  setStatus(name: string, status: InstanceStatus, reason: string | null = null): boolean {
    return this.update(name, { status, statusReason: reason });
  }

  /** The instance, or null. */
  get(name: string): InstanceRecord | null {
    const row = this.#get.get(name);
    return row ? decode(row) : null;
  }

  /**
   * Instances that claim to run (any status but stopped and error) with a heartbeat older than
   * `beforeMs`, by name: the candidates for a stale heartbeat. Only the columns that judge it.
   */
  quietSince(beforeMs: number): QuietInstance[] {
    return this.#live.all(beforeMs).map((row) => camelRow<QuietInstance>(row));
  }

  /** Every instance, by name. */
  list(): InstanceRecord[] {
    return this.#list.all().map(decode);
  }
}
