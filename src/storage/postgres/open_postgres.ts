/** Opens `DATABASE_URL=postgres://…`: connects, explains refusals in one line, migrates. */
import { StorageError, StorageInputError } from "../../core/errors.ts";
import type { PostgresLocation } from "../database_url.ts";
import { assertNotNewer, migrate } from "../migrate.ts";
import { SCHEMA_VERSION } from "../migrations.ts";
import { PG_WORKER_PATH, PgDatabase, PgError } from "./pg_database.ts";

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "57P03",
]);
const REFUSED = new Set(["28P01", "28000", "3D000", "42501", "3F000"]);

/** Connects to the server and brings the schema up to date (or checks it, read-only). */
export function openPostgres(location: PostgresLocation, readOnly: boolean): PgDatabase {
  const db = connect(location, readOnly);
  try {
    if (readOnly) {
      const version = assertNotNewer(db, location.path);
      if (version < SCHEMA_VERSION) {
        throw new StorageInputError(
          `Cannot open database "${location.path}": schema version ${version} is older than ` +
            `${SCHEMA_VERSION}; run any writing task (e.g. deno task demo) first`,
        );
      }
    } else {
      migrate(db, location.path);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The client runs in a worker that a blocked caller cannot watch: a permission it lacks would
 * hang the call, so both are checked here first and named in one line.
 */
function checkPermissions(location: PostgresLocation, where: string): void {
  const prefix = `Cannot open database "${location.path}": this task's permission set`;
  const read = Deno.permissions.querySync({ name: "read", path: PG_WORKER_PATH });
  if (read.state !== "granted") {
    throw new StorageInputError(
      `${prefix} cannot read the PostgreSQL client (${PG_WORKER_PATH}); add "./src" to its ` +
        `"read" list in deno.json`,
    );
  }
  const net = Deno.permissions.querySync({ name: "net", host: where });
  if (net.state !== "granted") {
    throw new StorageInputError(
      `${prefix} does not allow net access to ${where}; add "${where}" to its "net" list in ` +
        "deno.json (docs/configuration.md)",
    );
  }
}

function connect(location: PostgresLocation, readOnly: boolean): PgDatabase {
  const where = `${location.host}:${location.port}`;
  checkPermissions(location, where);
  try {
    return new PgDatabase({ url: location.url, schema: location.schema, readOnly });
  } catch (error) {
    const code = error instanceof PgError ? error.code ?? "" : "";
    const why = error instanceof Error ? error.message : String(error);
    const prefix = `Cannot open database "${location.path}"`;
    if (UNREACHABLE.has(code)) {
      throw new StorageError(
        `${prefix}: the PostgreSQL server at ${where} is not reachable (${why}); start it, or ` +
          "correct the host and port in DATABASE_URL",
        { cause: error },
      );
    }
    if (/Requires net access/.test(why)) {
      throw new StorageInputError(
        `${prefix}: this task's permission set does not allow net access to ${where}; add ` +
          `"${where}" to its "net" list in deno.json (docs/configuration.md)`,
        { cause: error },
      );
    }
    if (REFUSED.has(code)) {
      throw new StorageInputError(
        `${prefix}: the server at ${where} refused user "${location.user}" on database ` +
          `"${location.database}" (${why}); correct DATABASE_URL`,
        { cause: error },
      );
    }
    throw new StorageError(`${prefix}: ${why}`, { cause: error });
  }
}
