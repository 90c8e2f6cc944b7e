/** Statement helpers shared by the repositories (private to `storage/`). */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";

interface ArrayModeStatement {
  setReturnArrays(enabled: boolean): void;
}

/** Prepares `sql` so rows come back as arrays: about 3x faster than objects for candles. */
export function prepareArrays(db: SqlDatabase, sql: string): SqlStatement {
  const statement = db.prepare(sql);
  // Deno's node:sqlite typings lag the runtime, which has setReturnArrays.
  (statement as unknown as ArrayModeStatement).setReturnArrays(true);
  return statement;
}

/**
 * `INSERT … ON CONFLICT (key) DO UPDATE` with `:column` placeholders: a whole-row upsert that
 * SQLite and PostgreSQL both accept (unlike SQLite's `INSERT OR REPLACE`).
 */
export function upsertSql(
  table: string,
  columns: readonly string[],
  key: readonly string[],
): string {
  const others = columns.filter((column) => !key.includes(column));
  return `INSERT INTO ${table} (${columns.join(", ")}) ` +
    `VALUES (${columns.map((column) => ":" + column).join(", ")}) ` +
    `ON CONFLICT (${key.join(", ")}) DO UPDATE SET ` +
    others.map((column) => `${column} = excluded.${column}`).join(", ");
}

/** `open_time_ms` → `openTimeMs`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** `openTimeMs` → `open_time_ms`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => "_" + letter.toLowerCase());
}

/** A row object with snake_case columns as a camelCase record. */
export function camelRow<T>(row: unknown): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row as Record<string, unknown>)) {
    out[camelCase(key)] = value;
  }
  return out as T;
}

/** SQL values only: `undefined` keys are dropped, booleans become 0/1. */
export type SqlValue = string | number | null;

/** A camelCase record as named parameters for `:snake_case` placeholders. */
export function snakeParams(record: object): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    out[snakeCase(key)] = typeof value === "boolean" ? (value ? 1 : 0) : value as SqlValue;
  }
  return out;
}

/** `UPDATE table SET a = :a, … WHERE key = :key` statements, prepared once per column set. */
export class PatchStatements {
  #db: SqlDatabase;
  #table: string;
  #key: string;
  #cache = new Map<string, SqlStatement>();

  constructor(db: SqlDatabase, table: string, key: string) {
    this.#db = db;
    this.#table = table;
    this.#key = key;
  }

  /** Sets the given columns of the row whose key is `key`; returns the rows changed. */
  run(key: string, patch: object): number {
    const params = snakeParams(patch);
    const columns = Object.keys(params).filter((column) => column !== this.#key).sort();
    if (columns.length === 0) return 0;
    const signature = columns.join(",");
    let statement = this.#cache.get(signature);
    if (!statement) {
      const sets = columns.map((column) => `${column} = :${column}`).join(", ");
      statement = this.#db.prepare(
        `UPDATE ${this.#table} SET ${sets} WHERE ${this.#key} = :${this.#key}`,
      );
      this.#cache.set(signature, statement);
    }
    const values: Record<string, SqlValue> = { [this.#key]: key };
    for (const column of columns) values[column] = params[column];
    return Number(statement.run(values).changes);
  }
}
