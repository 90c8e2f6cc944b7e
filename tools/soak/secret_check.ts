/**
 * The soak's secret check: no API key or secret of any trader (live, and paper with keys set)
 * in any log or process output, nor in the DB: on SQLite every DB page and WAL frame, on
 * PostgreSQL every row of every table of the soak's schema, as text.
 */
import { scanForSecrets, type SecretScan } from "../../tests/support/secret_scan.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { isPostgresUrl, rowTexts, tableNames } from "./soak_database.ts";
import { LIVE_KEY, PAPER_KEY, type SoakWorld } from "./soak_setup.ts";

const SECRETS = [LIVE_KEY.apiKey, LIVE_KEY.secret, PAPER_KEY.apiKey, PAPER_KEY.secret];

/** A scan of the DB's tables; `files` names each table read as `table:NAME`. */
export interface TableScan extends SecretScan {
  /** Rows read, over every table. */
  readonly rows: number;
}

function databasePath(world: SoakWorld): string {
  return world.databaseUrl.replace(/^sqlite:/, "");
}

/** Reads every row of every table of `url`'s schema and searches its text for `secrets`. */
export function scanTables(url: string, secrets: readonly string[]): TableScan {
  const db = openDatabase(url, { readOnly: true });
  try {
    const hits: string[] = [];
    const files: string[] = [];
    let rows = 0;
    for (const table of tableNames(db)) {
      files.push(`table:${table}`);
      for (const text of rowTexts(db, table)) {
        rows++;
        for (const secret of secrets) if (text.includes(secret)) hits.push(`${table}: ${secret}`);
      }
    }
    return { hits, files, rows };
  } finally {
    db.close();
  }
}

/**
 * Scans the DB while the traders still run: on SQLite the file and its WAL (the WAL goes with
 * the last connection), on PostgreSQL every table's rows.
 */
export async function scanDatabase(world: SoakWorld): Promise<SecretScan> {
  if (isPostgresUrl(world.databaseUrl)) return scanTables(world.databaseUrl, SECRETS);
  const path = databasePath(world);
  return await scanForSecrets(SECRETS, { paths: [path, `${path}-wal`] });
}

/** Every file of the run (logs, outputs, DB) after it, plus the scan taken while it ran. */
export async function secretProblems(
  world: SoakWorld,
  whileRunning: SecretScan,
): Promise<{ problems: string[]; detail: string }> {
  const after = await scanForSecrets(SECRETS, { paths: [world.dir] });
  const problems = [...whileRunning.hits, ...after.hits];
  let where: string;
  if (isPostgresUrl(world.databaseUrl)) {
    const tables = scanTables(world.databaseUrl, SECRETS);
    problems.push(...tables.hits);
    for (const table of ["orders", "instances", "decisions"]) {
      if (!whileRunning.files.includes(`table:${table}`)) {
        problems.push(`table ${table} was not scanned while trading`);
      }
    }
    where = `${tables.files.length} tables (${tables.rows} rows, also while trading)`;
  } else {
    const wal = `${databasePath(world)}-wal`;
    if (!whileRunning.files.includes(wal)) problems.push("the WAL was not scanned while trading");
    where = "the DB, its WAL (while trading)";
  }
  // The scan means something only if a trader did sign with its keys.
  const signed = world.live?.requests().filter((r) => r.signed && r.hasApiKey).length ?? 0;
  if (world.live !== null && signed === 0) problems.push("the live trader signed no request");
  const count = (dir: string) => after.files.filter((f) => f.startsWith(`${dir}/`)).length;
  return {
    problems,
    detail: `0 hits in ${where}, ${count(world.logDir)} logs and ` +
      `${count(world.outputDir)} process outputs; the live trader signed ${signed} requests`,
  };
}
