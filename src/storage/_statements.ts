/** Statement helpers shared by the repositories (private to `storage/`). */
import type { DatabaseSync, StatementSync } from "node:sqlite";

interface ArrayModeStatement {
  setReturnArrays(enabled: boolean): void;
}

/** Prepares `sql` so rows come back as arrays: about 3x faster than objects for candles. */
export function prepareArrays(db: DatabaseSync, sql: string): StatementSync {
  const statement = db.prepare(sql);
  // Deno's node:sqlite typings lag the runtime, which has setReturnArrays.
  (statement as unknown as ArrayModeStatement).setReturnArrays(true);
  return statement;
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
  #db: DatabaseSync;
  #table: string;
  #key: string;
  #cache = new Map<string, StatementSync>();

  constructor(db: DatabaseSync, table: string, key: string) {
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
