/** The dashboard's read-only DB connection: opened lazily, kept, reopened after failures. */
import { dialectOf, type SqlDatabase } from "../storage/sql_database.ts";
import { StorageInputError } from "../core/errors.ts";
import {
  DashboardRepo,
  type DashboardSnapshot,
  type InstanceDetail,
  type InstanceSummary,
} from "../storage/dashboard_repo.ts";
import { openDatabase } from "../storage/database.ts";
import { parseDatabaseUrl } from "../storage/database_url.ts";
import { SCHEMA_VERSION } from "../storage/migrations.ts";

/** What one refresh read. */
export interface SourceReading {
  readonly snapshot: DashboardSnapshot;
  readonly dbSizeBytes: number | null;
}

/** Where the data comes from; the hook calls it, tests may pass their own. */
export interface DashboardDataSource {
  readonly label: string;
  refresh(nowMs: number): SourceReading;
  detail(instance: InstanceSummary): InstanceDetail;
  close(): void;
}

// Short: a locked DB should cost one frame, not freeze the screen; the next refresh retries.
const DASHBOARD_BUSY_TIMEOUT_MS = 250;

/**
 * Reads `DATABASE_URL` (SQLite or PostgreSQL) read-only. Errors are thrown one line each; the
 * caller retries.
 */
export class SqliteDashboardSource implements DashboardDataSource {
  readonly label: string;
  #url: string;
  #db: SqlDatabase | null = null;
  #repo: DashboardRepo | null = null;

  constructor(url: string) {
    this.#url = url;
    this.label = parseDatabaseUrl(url).path;
  }

  /** Reads every instance; opens (or reopens) the database first when needed. */
  refresh(nowMs: number): SourceReading {
    const repo = this.#open();
    try {
      const version = repo.schemaVersion();
      if (version > SCHEMA_VERSION) {
        throw new StorageInputError(
          `Cannot read database "${this.label}": schema version ${version} is newer than this ` +
            `build's ${SCHEMA_VERSION}; upgrade the dashboard`,
        );
      }
      return { snapshot: repo.snapshot(nowMs), dbSizeBytes: this.#size() };
    } catch (error) {
      // A lock passes; anything else (file replaced, schema changed) gets a fresh connection.
      if (!isBusy(error)) this.close();
      throw error;
    }
  }

  /** One instance's detail data. */
  detail(instance: InstanceSummary): InstanceDetail {
    return this.#open().detail(instance);
  }

  /** Closes the connection, if open. */
  close(): void {
    this.#db?.close();
    this.#db = null;
    this.#repo = null;
  }

  #open(): DashboardRepo {
    if (this.#repo) return this.#repo;
    const db = openDatabase(this.#url, { readOnly: true });
    // PostgreSQL readers never wait on a writer's lock; SQLite's wait is kept short.
    if (dialectOf(db) === "sqlite") db.exec(`PRAGMA busy_timeout = ${DASHBOARD_BUSY_TIMEOUT_MS}`);
    this.#db = db;
    this.#repo = new DashboardRepo(db);
    return this.#repo;
  }

  /** Bytes of the SQLite file and its WAL; null on PostgreSQL (the server's disk, not ours). */
  #size(): number | null {
    if (this.#db === null || dialectOf(this.#db) !== "sqlite") return null;
    let total = 0;
    for (const path of [this.label, `${this.label}-wal`]) {
      try {
        total += Deno.statSync(path).size;
      } catch {
        // No WAL file is normal when no writer is connected.
      }
    }
    return total;
  }
}

function isBusy(error: unknown): boolean {
  const text = String(error instanceof Error ? `${error.message} ${error.cause ?? ""}` : error);
  return /database is locked|SQLITE_BUSY|database table is locked/i.test(text);
}
