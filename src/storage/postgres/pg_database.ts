/**
 * A PostgreSQL connection that is synchronous to its callers, like `node:sqlite`: the client runs
 * in a worker and each call blocks on shared memory until the answer is back. The repositories
 * keep their SQLite SQL; `translateStatement` rewrites it once per prepared statement.
 */
import { DatabaseUnavailableError, StorageError } from "../../core/errors.ts";
import { ChannelTimeoutError, SyncChannel } from "../../core/sync_channel.ts";
import type {
  SqlDatabase,
  SqlDialect,
  SqlInput,
  SqlRunResult,
  SqlStatement,
} from "../sql_database.ts";
import {
  ByteArea,
  fromWire,
  toWire,
  type WireAnswer,
  type WireError,
  type WireRequest,
  type WireValue,
} from "./_pg_wire.ts";
import { isConnectionFailure } from "./pg_connection_errors.ts";
import {
  type PgStatementText,
  type TableCatalog,
  transactionControl,
  translateStatement,
} from "./pg_sql.ts";

/** Bytes of the shared buffer: one page of 8,192 candles is well under 1 MiB as JSON. */
const CHANNEL_BYTES = 64 << 20;
/** A call that takes longer than this means the worker is stuck. */
const CALL_TIMEOUT_MS = 600_000;

const PG_WORKER_URL = new URL("./pg_worker.ts", import.meta.url);
/** The worker's module, which the process must be allowed to read. */
export const PG_WORKER_PATH = PG_WORKER_URL.protocol === "file:"
  ? decodeURIComponent(PG_WORKER_URL.pathname)
  : PG_WORKER_URL.href;

/** A statement failed on PostgreSQL; `code` is its SQLSTATE or the driver's error code. */
export class PgError extends StorageError {
  readonly code: string | null;
  constructor(message: string, code: string | null, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Where and how to connect. */
export interface PgConnectOptions {
  /** The URL without our own parameters, for the client. */
  readonly url: string;
  /** The schema every statement works in (created unless read-only); null: the default. */
  readonly schema: string | null;
  readonly readOnly: boolean;
  /** How long a call may go unanswered before it fails as final (default 10 minutes). */
  readonly callTimeoutMs?: number;
}

/** One PostgreSQL connection behind the `SqlDatabase` port. */
export class PgDatabase implements SqlDatabase {
  readonly dialect: SqlDialect = "postgres";
  #worker: Worker;
  #channel = new SyncChannel(new SharedArrayBuffer(CHANNEL_BYTES));
  /** BLOBs of the call in progress, beside its JSON. */
  readonly area = new ByteArea();
  #open = true;
  #tx = false;
  #callTimeoutMs: number;
  #catalog: { primaryKeys: Record<string, string[]>; identities: Record<string, string> } | null =
    null;

  /** Connects; throws `PgError` (with the driver's code) when it cannot. */
  constructor(options: PgConnectOptions) {
    const { callTimeoutMs, ...connect } = options;
    this.#callTimeoutMs = callTimeoutMs ?? CALL_TIMEOUT_MS;
    this.#worker = new Worker(PG_WORKER_URL, { type: "module" });
    this.#worker.postMessage([this.#channel.buffer, this.area.buffer]);
    try {
      this.call({ op: "open", ...connect });
    } catch (error) {
      this.#worker.terminate();
      this.#open = false;
      // Opening reports the driver's code (`openPostgres` names host and port from it).
      if (error instanceof DatabaseUnavailableError) {
        throw new PgError(error.message, error.code, { cause: error });
      }
      throw error;
    }
  }

  get isTransaction(): boolean {
    return this.#tx;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Prepares `sql` (SQLite syntax); the translation happens once, here. */
  prepare(sql: string): SqlStatement {
    return new PgStatement(this, translateStatement(sql, this.#tableCatalog()));
  }

  /** Runs a script; BEGIN/COMMIT/ROLLBACK (SQLite's forms) manage the transaction. */
  exec(sql: string): void {
    const control = transactionControl(sql);
    if (control === "begin-write" || control === "begin-read") {
      this.call({ op: "begin", write: control === "begin-write" });
    } else if (control) {
      this.call({ op: control });
    } else {
      this.call({ op: "exec", text: sql });
      if (/\b(CREATE|ALTER|DROP)\b/i.test(sql)) this.#catalog = null;
    }
  }

  /** Ends the connection and its worker. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      this.call({ op: "close" }, 5_000);
    } catch {
      // The worker is terminated below either way.
    }
    this.#worker.terminate();
  }

  /**
   * Sends one request and blocks until its answer; an error answer is thrown as `PgError`, or as
   * `DatabaseUnavailableError` when the connection was lost or refused.
   */
  call(request: WireRequest, timeoutMs = this.#callTimeoutMs): WireAnswer {
    if (!this.#open) throw new PgError("Cannot use the database: the connection is closed", null);
    let answer: WireAnswer;
    try {
      answer = this.#channel.call(request, timeoutMs) as WireAnswer;
    } catch (error) {
      if (error instanceof ChannelTimeoutError) {
        // A stuck worker, not a lost server: its late answer would be read as the next call's,
        // so this is final (the driver's own connect and socket timeouts are unavailability).
        throw new PgError(`Cannot reach the database: ${error.message}`, "TIMEOUT", {
          cause: error,
        });
      }
      throw error;
    }
    this.#tx = answer.tx;
    if (answer.error) throw unavailableOr(answer.error);
    return answer;
  }

  #tableCatalog(): TableCatalog {
    const known = () => {
      this.#catalog ??= this.call({ op: "catalog" }).catalog!;
      return this.#catalog;
    };
    return {
      primaryKey: (table) => known().primaryKeys[table] ?? [],
      identityColumn: (table) => known().identities[table] ?? null,
    };
  }
}

/** Constraint failures named as SQLite names them, so callers read one wording on both. */
const CONSTRAINTS: Record<string, string> = {
  "23505": "UNIQUE constraint failed",
  "23503": "FOREIGN KEY constraint failed",
  "23502": "NOT NULL constraint failed",
  "23514": "CHECK constraint failed",
};

/**
 * A lost or refused connection as `DatabaseUnavailableError` (the statement did not run, or its
 * transaction was rolled back; the worker's client connects again for the next call); any other
 * failure as `PgError`.
 */
function unavailableOr(error: WireError): StorageError {
  if (!isConnectionFailure(error.code, error.message)) return pgError(error);
  const detail = error.detail ? ` (${error.detail})` : "";
  return new DatabaseUnavailableError(
    `Cannot reach the database: ${error.message}${detail}`,
    error.code,
  );
}

function pgError(error: WireError): PgError {
  const detail = error.detail ? ` (${error.detail})` : "";
  const constraint = CONSTRAINTS[error.code ?? ""];
  const message = `${error.message}${detail}`;
  return new PgError(constraint ? `${constraint}: ${message}` : message, error.code);
}

function isNamed(value: unknown): value is Record<string, SqlInput> {
  return value !== null && typeof value === "object" && !(value instanceof Uint8Array);
}

/** A prepared statement; binds SQLite-style parameters to the translated `$N`s. */
class PgStatement implements SqlStatement {
  #db: PgDatabase;
  #statement: PgStatementText;
  #arrays = false;

  constructor(db: PgDatabase, statement: PgStatementText) {
    this.#db = db;
    this.#statement = statement;
  }

  /** Rows as arrays instead of objects (`node:sqlite`'s `setReturnArrays`). */
  setReturnArrays(enabled: boolean): void {
    this.#arrays = enabled;
  }

  get(...params: unknown[]): Record<string, never> | undefined {
    return this.all(...params)[0];
  }

  all(...params: unknown[]): Record<string, never>[] {
    const rows = this.#query(params).rows!;
    for (const row of rows) {
      const cells = row as Record<string, unknown>;
      for (const key in cells) {
        if (cells[key] !== null && typeof cells[key] === "object") {
          cells[key] = fromWire(cells[key], this.#db.area);
        }
      }
    }
    return rows as Record<string, never>[];
  }

  run(...params: unknown[]): SqlRunResult {
    const answer = this.#query(params);
    return { changes: answer.changes ?? 0, lastInsertRowid: answer.lastInsertRowid ?? 0 };
  }

  /** Rows one at a time (read all at once: the callers iterate small results). */
  iterate(...params: unknown[]): IterableIterator<Record<string, never>> {
    return this.all(...params)[Symbol.iterator]();
  }

  #query(params: unknown[]): WireAnswer {
    const { text, names, returning } = this.#statement;
    return this.#db.call({
      op: "query",
      text,
      params: bind(names, params, this.#db.area),
      arrays: this.#arrays,
      returning,
    });
  }
}

/** Orders `params` (positional values, or named values first) as the `$N`s expect them. */
function bind(
  names: readonly (string | null)[],
  params: unknown[],
  area: ByteArea,
): WireValue[] {
  area.reset();
  const named = isNamed(params[0]) ? params[0] : null;
  const positional = named ? params.slice(1) : params;
  const out: WireValue[] = [];
  let next = 0;
  for (const name of names) {
    out.push(toWire(name === null ? positional[next++] : named?.[name], area));
  }
  return out;
}
