/**
 * Copies every table of one database into another (SQLite ⇄ PostgreSQL), then proves the copy:
 * each table's row count and a checksum over its rows in key order, read back from both sides.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { StorageInputError } from "../core/errors.ts";
import { dialectOf, type SqlDatabase, type SqlOutput } from "./sql_database.ts";
import { writeTransaction } from "./write_transaction.ts";

/** One table's figures on both sides. */
export interface TableCopy {
  readonly table: string;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly sourceChecksum: string;
  readonly targetChecksum: string;
}

/** Options of `copyDatabase`. */
export interface CopyOptions {
  /** Empty a target that already has rows instead of refusing it. */
  readonly replace?: boolean;
  /** Labels for messages (URLs with the password masked). */
  readonly targetLabel: string;
}

const PAGE_ROWS = 5_000;
/** Bound parameters per INSERT, under both engines' limits. */
const MAX_PARAMS = 30_000;

/** The tables the schema defines, parents before the tables whose foreign keys point at them. */
export function userTables(db: SqlDatabase): string[] {
  const postgres = dialectOf(db) === "postgres";
  const names = db.prepare(
    postgres
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = " +
        "current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_version' " +
        "ORDER BY table_name"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' " +
        "ORDER BY name",
  ).all().map((row) => String(row.name));
  const parents = new Map(names.map((name) => [name, referencedTables(db, name, postgres)]));
  const ordered: string[] = [];
  const visit = (name: string) => {
    if (ordered.includes(name)) return;
    for (const parent of parents.get(name) ?? []) if (parent !== name) visit(parent);
    ordered.push(name);
  };
  names.forEach(visit);
  return ordered;
}

function referencedTables(db: SqlDatabase, table: string, postgres: boolean): string[] {
  const rows = postgres
    ? db.prepare(
      "SELECT DISTINCT ccu.table_name AS parent FROM information_schema.table_constraints tc " +
        "JOIN information_schema.constraint_column_usage ccu " +
        "ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema " +
        "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() " +
        "AND tc.table_name = ?",
    ).all(table)
    : db.prepare(`SELECT DISTINCT "table" AS parent FROM pragma_foreign_key_list(?)`).all(table);
  return rows.map((row) => String(row.parent));
}

/** Column names in table order, and the primary key (SQLite's rowid order when it has none). */
function tableShape(db: SqlDatabase, table: string): { columns: string[]; key: string[] } {
  if (dialectOf(db) === "postgres") {
    const columns = db.prepare(
      "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = " +
        "current_schema() AND table_name = ? ORDER BY ordinal_position",
    ).all(table).map((row) => String(row.name));
    const key = db.prepare(
      "SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid " +
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(?) AND i.indisprimary " +
        "ORDER BY array_position(i.indkey, a.attnum)",
    ).all(table).map((row) => String(row.name));
    return { columns, key };
  }
  const info = db.prepare("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid").all(table);
  const key = info.filter((row) => Number(row.pk) > 0)
    .sort((a, b) => Number(a.pk) - Number(b.pk)).map((row) => String(row.name));
  return { columns: info.map((row) => String(row.name)), key };
}

/** Rows of `table` in key order (all columns when it has no key), page by page. */
function* pages(db: SqlDatabase, table: string, columns: string[], key: string[]) {
  const order = (key.length > 0 ? key : columns).join(", ");
  const statement = db.prepare(
    `SELECT ${columns.join(", ")} FROM ${table} ORDER BY ${order} LIMIT ? OFFSET ?`,
  );
  (statement as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  for (let offset = 0;; offset += PAGE_ROWS) {
    const rows = statement.all(PAGE_ROWS, offset) as unknown as SqlOutput[][];
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE_ROWS) return;
  }
}

/** Row count and SHA-256 of the rows in key order, the same on both engines. */
export function tableChecksum(db: SqlDatabase, table: string): { rows: number; checksum: string } {
  const { columns, key } = tableShape(db, table);
  const hash = createHash("sha256");
  let rows = 0;
  for (const page of pages(db, table, [...columns].sort(), key)) {
    for (const row of page) hash.update(JSON.stringify(row.map(canonical)) + "\n");
    rows += page.length;
  }
  return { rows, checksum: hash.digest("hex") };
}

function canonical(value: SqlOutput): unknown {
  if (value instanceof Uint8Array) {
    return { bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex") };
  }
  return typeof value === "bigint" ? Number(value) : value;
}

/** Copies every table of `source` into `target` (schema already current on both). */
export function copyDatabase(
  source: SqlDatabase,
  target: SqlDatabase,
  options: CopyOptions,
): TableCopy[] {
  const tables = userTables(source);
  const filled = userTables(target).filter((table) =>
    Number(target.prepare(`SELECT count(*) AS n FROM ${table}`).get()!.n) > 0
  );
  if (filled.length > 0 && !options.replace) {
    throw new StorageInputError(
      `Cannot copy into "${options.targetLabel}": it already has rows (${filled.join(", ")}); ` +
        "copy into an empty database, or pass --replace to empty it first",
    );
  }
  writeTransaction(target, () => {
    for (const table of [...userTables(target)].reverse()) target.exec(`DELETE FROM ${table}`);
    for (const table of tables) copyTable(source, target, table);
  });
  return tables.map((table) => {
    const from = tableChecksum(source, table);
    const to = tableChecksum(target, table);
    return {
      table,
      sourceRows: from.rows,
      targetRows: to.rows,
      sourceChecksum: from.checksum,
      targetChecksum: to.checksum,
    };
  });
}

function copyTable(source: SqlDatabase, target: SqlDatabase, table: string): void {
  const { columns, key } = tableShape(source, table);
  const perRow = `(${columns.map(() => "?").join(", ")})`;
  const batch = Math.max(1, Math.min(500, Math.floor(MAX_PARAMS / columns.length)));
  const insert = (count: number) =>
    target.prepare(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES ` +
        Array.from({ length: count }, () => perRow).join(", "),
    );
  const full = insert(batch);
  for (const page of pages(source, table, columns, key)) {
    for (let start = 0; start < page.length; start += batch) {
      const rows = page.slice(start, start + batch);
      const statement = rows.length === batch ? full : insert(rows.length);
      statement.run(...rows.flat() as (string | number | null | Uint8Array)[]);
    }
  }
  if (dialectOf(target) === "postgres") restartIdentity(target, table);
}

/** Explicit ids were copied: the identity goes on after the largest. */
function restartIdentity(db: SqlDatabase, table: string): void {
  const identity = db.prepare(
    "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = " +
      "current_schema() AND table_name = ? AND is_identity = 'YES'",
  ).get(table);
  if (!identity) return;
  const column = String(identity.name);
  db.prepare(
    `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(${column}) FROM ${table}), 0) + 1, false)`,
  ).get(table, column);
}
