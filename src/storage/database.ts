/**
 * Opens the shared database safely: a SQLite file (validated, tuned for many processes) or a
 * PostgreSQL server, migrated either way.
 */
import { DatabaseSync } from "node:sqlite";
import { dirname } from "../core/file_paths.ts";
import { StorageInputError } from "../core/errors.ts";
import { SCHEMA_VERSION } from "./migrations.ts";
import { assertNotNewer, migrate } from "./migrate.ts";
import { parseDatabaseUrl } from "./database_url.ts";
import type { SqlDatabase } from "./sql_database.ts";
import { openPostgres } from "./postgres/open_postgres.ts";

/** How to open the database. */
export interface OpenDatabaseOptions {
  /** Open without writing anything (the dashboard); the schema must already be current. */
  readonly readOnly?: boolean;
  /** Busy timeout in ms; at least 5000. */
  readonly busyTimeoutMs?: number;
}

const SQLITE_MAGIC = "SQLite format 3\0";
const MIN_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens `DATABASE_URL` (`sqlite:PATH` or `postgres://…`), refusing directories, non-SQLite files,
 * unreachable servers, refused credentials and newer schemas.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): SqlDatabase {
  const location = parseDatabaseUrl(url);
  const readOnly = options.readOnly ?? false;
  if (location.kind === "postgres") return openPostgres(location, readOnly);
  const { path, inMemory } = location;
  const timeout = Math.max(MIN_BUSY_TIMEOUT_MS, options.busyTimeoutMs ?? MIN_BUSY_TIMEOUT_MS);
  if (!inMemory) checkFile(path, readOnly);
  // Validate through a read-only handle first, so nothing is written to a file we then refuse.
  if (!inMemory && existsSync(path)) withTranslatedErrors(path, () => validate(path, timeout));
  return withTranslatedErrors(path, () => {
    const db = new DatabaseSync(path, { readOnly, timeout, enableForeignKeyConstraints: true });
    try {
      configure(db, { readOnly, path, timeout });
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  });
}

function configure(
  db: DatabaseSync,
  options: { readOnly: boolean; path: string; timeout: number },
): void {
  db.exec(`PRAGMA busy_timeout = ${options.timeout}`);
  db.exec("PRAGMA foreign_keys = ON");
  if (options.readOnly) {
    const version = assertNotNewer(db, options.path);
    if (version < SCHEMA_VERSION) {
      throw new StorageInputError(
        `Cannot open database "${options.path}": schema version ${version} is older than ` +
          `${SCHEMA_VERSION}; run any writing task (e.g. deno task demo) first`,
      );
    }
    return;
  }
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  migrate(db, options.path);
}

function validate(path: string, timeout: number): void {
  const db = new DatabaseSync(path, { readOnly: true, timeout });
  try {
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    assertNotNewer(db, path);
  } finally {
    db.close();
  }
}

function checkFile(path: string, readOnly: boolean): void {
  const fail = (why: string) => new StorageInputError(`Cannot open database "${path}": ${why}`);
  if (!existsSync(path)) {
    if (readOnly) throw fail("the file does not exist");
    try {
      Deno.mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new StorageInputError(
        `Cannot open database "${path}": cannot create its directory (${codeOf(error)})`,
        { cause: error },
      );
    }
    return;
  }
  if (Deno.statSync(path).isDirectory) throw fail("it is a directory, not a file");
  const header = readHeader(path);
  if (header.length > 0 && header !== SQLITE_MAGIC) throw fail("not an SQLite database");
}

function readHeader(path: string): string {
  using file = Deno.openSync(path, { read: true });
  const bytes = new Uint8Array(16);
  let length = 0;
  while (length < bytes.length) {
    const read = file.readSync(bytes.subarray(length));
    if (read === null || read === 0) break;
    length += read;
  }
  return String.fromCharCode(...bytes.subarray(0, length));
}

/**
 * True when `path` exists (a file, directory or a link to one), false when it cannot be seen (as
 * `node:fs`'s `existsSync`); a path outside the permission set is thrown, for its own message.
 */
function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    return false;
  }
}

function withTranslatedErrors<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof StorageInputError) throw error;
    throw new StorageInputError(`Cannot open database "${path}": ${describe(error)}`, {
      cause: error,
    });
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/not a database|malformed|corrupt/i.test(message)) {
    return "not an SQLite database or corrupt";
  }
  if (/readonly|read-only|unable to open|permission|not permitted/i.test(message)) {
    return `cannot write there (read-only location?): ${message}`;
  }
  return message.split("\n")[0];
}

function codeOf(error: unknown): string {
  return (error as { code?: string }).code ?? (error instanceof Error ? error.message : "error");
}
