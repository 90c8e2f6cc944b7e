/**
 * The PostgreSQL connection's worker: runs the `postgres` client on its own thread and answers
 * the synchronous `PgDatabase` over a `SyncChannel`. One connection, so a transaction stays on it.
 */
import postgres from "postgres";
import { Buffer } from "node:buffer";
import { SyncChannel } from "../../core/sync_channel.ts";
import {
  ByteArea,
  fromWire,
  isBytes,
  toWire,
  type WireAnswer,
  type WireError,
  type WireRequest,
} from "./_pg_wire.ts";
import { isConnectionFailure } from "./pg_connection_errors.ts";
import { copyIn, copyOut } from "./_pg_copy_worker.ts";

type Sql = ReturnType<typeof postgres>;

let sql: Sql | null = null;
/** How the connection was opened, for a new client after a failure. */
let opened: Extract<WireRequest, { op: "open" }> | null = null;
/** Clients made so far: an old client's late close must not touch the current one's state. */
let generation = 0;
/**
 * The client's connection failed: the next statement gets a new client. The old one is not
 * reused because its socket may never report the close after a reset (seen under Deno: the
 * driver then queues every later statement behind a connection that never comes back).
 */
let stale = false;
let area = new ByteArea(new SharedArrayBuffer(0));
let tx = false;
/** The connection broke inside a transaction: refuse statements until it is ended. */
let broken: WireError | null = null;

// BIGINT and NUMERIC (count(*), sum()) come back as JavaScript numbers, as SQLite gives them.
const NUMBER_TYPES = {
  bigint: {
    to: 20,
    from: [20, 1700],
    serialize: (value: unknown) => String(value),
    parse: (value: string) => Number(value),
  },
};

function errorOf(error: unknown): WireError {
  const e = error as { message?: string; code?: string; detail?: string; errno?: string };
  const code = e?.code ?? e?.errno ?? null;
  return {
    message: String(e?.message ?? error).split("\n")[0],
    code: code === null ? null : String(code),
    detail: e?.detail ?? null,
  };
}

function newClient(request: Extract<WireRequest, { op: "open" }>): Sql {
  const connection: Record<string, string> = { application_name: "trading" };
  if (request.schema) connection.search_path = `"${request.schema}"`;
  if (request.readOnly) connection.default_transaction_read_only = "on";
  const mine = ++generation;
  return postgres(request.url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 10,
    // No wait of the driver's own before connecting again after a failure (it grows to 20 s,
    // and the caller blocks meanwhile): the caller backs off itself (a trader: 0.5 s to 15 s).
    backoff: () => 0,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    types: NUMBER_TYPES,
    connection,
    // The client reconnects by itself for the next statement; inside a transaction that
    // statement would run outside it, so the transaction is marked lost the moment the old
    // connection closes (a server restart, a terminated backend, a dropped network).
    onclose: () => {
      if (mine !== generation) return;
      stale = true;
      if (tx && !broken) {
        broken = {
          message: "the connection to the database was lost inside a transaction, which the " +
            "server rolled back",
          code: "CONNECTION_CLOSED",
          detail: null,
        };
      }
    },
  });
}

/** The current client; a new one in place of a client whose connection failed. */
function client(): Sql {
  if (!sql) throw new Error("the connection is not open");
  if (stale && !tx) {
    const old = sql;
    sql = newClient(opened!);
    stale = false;
    // Its connection is gone or going; ending it must not hold this statement.
    old.end({ timeout: 0 }).catch(() => {});
  }
  return sql;
}

async function open(request: Extract<WireRequest, { op: "open" }>): Promise<void> {
  opened = request;
  sql = newClient(request);
  if (request.schema && !request.readOnly) {
    try {
      await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${request.schema}"`).simple();
    } catch (error) {
      // Two processes creating the schema at once: the loser sees a duplicate; that is fine.
      if (!["23505", "42P06"].includes(errorOf(error).code ?? "")) throw error;
    }
  }
  await sql.unsafe("SELECT 1").simple();
}

function encodeRows(rows: unknown[]): unknown[] {
  for (const row of rows) {
    const cells = row as Record<string, unknown>;
    for (const key in cells) {
      if (isBytes(cells[key])) cells[key] = toWire(cells[key], area);
    }
  }
  return rows;
}

async function query(request: Extract<WireRequest, { op: "query" }>): Promise<WireAnswer> {
  const params = request.params.map((value) => {
    const decoded = fromWire(value, area);
    return decoded instanceof Uint8Array ? Buffer.from(decoded) : decoded;
  }) as postgres.ParameterOrJSON<never>[];
  area.reset();
  const pending = client().unsafe(request.text, params, { prepare: true });
  const result = request.arrays ? await pending.values() : await pending;
  const rows = encodeRows([...result]);
  const lastInsertRowid = request.returning && result.length > 0
    ? Number((result[0] as Record<string, unknown>)[request.returning])
    : 0;
  return {
    tx,
    rows: request.returning ? [] : rows,
    changes: result.count ?? 0,
    lastInsertRowid,
  };
}

async function catalog(): Promise<WireAnswer> {
  const keys = await client().unsafe(
    `SELECT c.relname AS table, a.attname AS column FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
     WHERE i.indisprimary AND n.nspname = current_schema() ORDER BY c.relname, k.ord`,
  );
  const identities = await client().unsafe(
    `SELECT table_name AS table, column_name AS column FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_identity = 'YES'`,
  );
  const primaryKeys: Record<string, string[]> = {};
  for (const row of keys) (primaryKeys[row.table] ??= []).push(row.column);
  const identity: Record<string, string> = {};
  for (const row of identities) identity[row.table] = row.column;
  return { tx, catalog: { primaryKeys, identities: identity } };
}

async function handle(request: WireRequest): Promise<WireAnswer> {
  if (request.op === "open") {
    await open(request);
    return { tx };
  }
  if (request.op === "close") {
    const last = sql;
    sql = null;
    await last?.end({ timeout: 1 });
    return { tx: false };
  }
  const db = client();
  switch (request.op) {
    case "begin":
      // Writers queue on one lock per schema, as SQLite's BEGIN IMMEDIATE queues them on the file.
      await db.unsafe(
        request.write
          ? "BEGIN; SELECT pg_advisory_xact_lock(hashtext(current_schema()))"
          : "BEGIN ISOLATION LEVEL REPEATABLE READ",
      ).simple();
      tx = true;
      return { tx };
    case "commit":
    case "rollback": {
      const failed = broken;
      broken = null;
      if (failed) {
        tx = false;
        if (request.op === "commit") return { tx, error: failed };
        return { tx };
      }
      await db.unsafe(request.op === "commit" ? "COMMIT" : "ROLLBACK").simple();
      tx = false;
      return { tx };
    }
    case "exec":
      await db.unsafe(request.text).simple();
      return { tx };
    case "query":
      return await query(request);
    case "catalog":
      return await catalog();
    case "copyIn":
      await copyIn(db, request, area);
      return { tx };
    case "copyOut":
      return { tx, fields: await copyOut(db, request.text, area) };
  }
}

function isRead(request: WireRequest): boolean {
  return request.op === "catalog" ||
    (request.op === "query" && /^\s*SELECT\b/i.test(request.text) &&
      !/\b(INSERT|UPDATE|DELETE|nextval|pg_advisory)/i.test(request.text));
}

async function answer(message: unknown): Promise<WireAnswer> {
  const request = message as WireRequest;
  if (broken && request.op !== "commit" && request.op !== "rollback") return { tx, error: broken };
  try {
    return await handle(request);
  } catch (error) {
    const wire = errorOf(error);
    const lost = isConnectionFailure(wire.code, wire.message);
    if (lost) stale = true;
    // A read outside a transaction on a connection that has just died is sent again once, on a
    // new connection: it changed nothing. A write is not; its caller decides.
    if (!tx && lost && isRead(request)) {
      try {
        return await handle(request);
      } catch (again) {
        return { tx, error: errorOf(again) };
      }
    }
    // A lost connection ends its transaction: a new client serves the next statement, which
    // must not run outside the transaction its caller believes is open.
    if (tx && lost) broken = wire;
    return { tx, error: wire };
  }
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<[SharedArrayBuffer, SharedArrayBuffer]>) => void) | null;
};

scope.onmessage = (event) => {
  scope.onmessage = null;
  const channel = new SyncChannel(event.data[0]);
  area = new ByteArea(event.data[1]);
  channel.serveAsync(
    (message) => answer(message),
    (error) => ({ tx, error: errorOf(error) }),
  );
};
