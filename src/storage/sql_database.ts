/**
 * The database port the repositories are written against: `node:sqlite`'s `DatabaseSync`
 * satisfies it as it is, and `PgDatabase` implements it over PostgreSQL.
 */

/** A value bound to a placeholder. */
export type SqlInput = null | number | bigint | string | Uint8Array;

/** A value read back from a row. */
export type SqlOutput = null | number | bigint | string | Uint8Array;

/** What a write statement did. */
export interface SqlRunResult {
  readonly changes: number | bigint;
  readonly lastInsertRowid: number | bigint;
}

/** Parameters: positional values, or one object of named values (`:name`) first. */
export type SqlParams = SqlInput[] | [Record<string, SqlInput>, ...SqlInput[]];

/** A prepared statement; `?`, `?N` and `:name` placeholders. */
export interface SqlStatement {
  get(...params: SqlInput[]): Record<string, SqlOutput> | undefined;
  get(
    named: Record<string, SqlInput>,
    ...params: SqlInput[]
  ): Record<string, SqlOutput> | undefined;
  all(...params: SqlInput[]): Record<string, SqlOutput>[];
  all(named: Record<string, SqlInput>, ...params: SqlInput[]): Record<string, SqlOutput>[];
  run(...params: SqlInput[]): SqlRunResult;
  run(named: Record<string, SqlInput>, ...params: SqlInput[]): SqlRunResult;
}

/** One connection: statements, scripts and the transaction flag the repositories rely on. */
export interface SqlDatabase {
  prepare(sql: string): SqlStatement;
  /** Runs a script of one or more statements without results. */
  exec(sql: string): void;
  readonly isTransaction: boolean;
  readonly isOpen: boolean;
  close(): void;
}

/** The SQL dialects a `SqlDatabase` speaks. */
export type SqlDialect = "sqlite" | "postgres";

/** Which dialect `db` speaks: PostgreSQL connections say so, `DatabaseSync` does not. */
export function dialectOf(db: SqlDatabase): SqlDialect {
  return (db as { dialect?: SqlDialect }).dialect ?? "sqlite";
}
