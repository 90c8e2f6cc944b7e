/**
 * Parses `DATABASE_URL`: `sqlite:PATH` / `sqlite::memory:` (the embedded default) or
 * `postgres://user:pass@host:port/db` / `postgresql://…` (many hosts, one database).
 */
import { StorageInputError } from "../core/errors.ts";

/** A SQLite file, or `:memory:`. */
export interface SqliteLocation {
  readonly kind: "sqlite";
  readonly path: string;
  readonly inMemory: boolean;
}

/** A PostgreSQL server and database; `path` is the URL with its password masked, for messages. */
export interface PostgresLocation {
  readonly kind: "postgres";
  readonly path: string;
  readonly inMemory: false;
  /** The URL the client connects with (our own `schema` parameter removed). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** `?schema=NAME`: the schema to work in (created on first use); null: the server's default. */
  readonly schema: string | null;
}

/** Where the database lives. */
export type DatabaseLocation = SqliteLocation | PostgresLocation;

/** The default that docs/configuration.md documents. */
export const DEFAULT_DATABASE_URL = "sqlite:./data/trading.db";

const USAGE =
  "DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://USER:PASSWORD@HOST:PORT/DB";

/** `url` with any password replaced by `***`, safe to print. */
export function maskDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*:)[^@]*@/i, "$1***@");
}

/** Parses `DATABASE_URL`; anything else is bad input, reported with the password masked. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const text = url.trim();
  if (/^postgres(ql)?:/i.test(text)) return parsePostgres(text);
  const match = /^sqlite:(?:\/\/)?(.*)$/.exec(text);
  if (!match) {
    throw new StorageInputError(`Cannot open database "${maskDatabaseUrl(url)}": ${USAGE}`);
  }
  const path = match[1];
  if (path === "") {
    throw new StorageInputError(`Cannot open database "${url}": DATABASE_URL has no path`);
  }
  return { kind: "sqlite", path, inMemory: path === ":memory:" };
}

function parsePostgres(text: string): PostgresLocation {
  const label = maskDatabaseUrl(text);
  const fail = (why: string) => new StorageInputError(`Cannot open database "${label}": ${why}`);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw fail(`malformed URL; ${USAGE}`);
  }
  if (!/^\/\//.test(text.slice(text.indexOf(":") + 1)) || parsed.hostname === "") {
    throw fail(`the URL names no host; ${USAGE}`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (database === "" || database.includes("/")) {
    throw fail(`the URL names no database (…@HOST:PORT/DB); ${USAGE}`);
  }
  const schema = parsed.searchParams.get("schema");
  if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw fail(`schema "${schema}" must be letters, digits and _ (at most 63)`);
  }
  parsed.searchParams.delete("schema");
  return {
    kind: "postgres",
    path: label,
    inMemory: false,
    url: parsed.href,
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port === "" ? 5432 : Number(parsed.port),
    database,
    user: decodeURIComponent(parsed.username) || "postgres",
    schema,
  };
}
