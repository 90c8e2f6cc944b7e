/**
 * `deno task soak [--minutes N | --seconds N] [--db postgres://…]`: six paper traders on the
 * accelerated loopback emulator, one live trader, a backfiller and `dashboard --once` in loops,
 * all on one fresh DB (a SQLite file, or a new schema on the PostgreSQL server of `--db` or of
 * `DATABASE_URL`), then the checks. Prints a table, writes the report (default
 * `logs/soak-report.json`); exit 1 when a check fails. Loopback only: no exchange is contacted.
 */
import { InputError } from "../src/core/errors.ts";
import { maskDatabaseUrl } from "../src/storage/database_url.ts";
import {
  dropSoakSchema,
  runSoak,
  soakDatabaseUrl,
  soakSchema,
  soakTable,
} from "../tools/soak/mod.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";

function positive(option: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new InputError(`Cannot run soak: ${option}: must be a number > 0 (got "${text}")`);
    }
    return value;
  };
}

async function main(args: string[]): Promise<number> {
  const program = newCommand("soak", "Many processes on one DB against the emulator, then checks")
    .option("--minutes <n>", "run time in minutes (default 2)", positive("--minutes"))
    .option("--seconds <n>", "run time in seconds (for CI)", positive("--seconds"))
    .option("--speed <n>", "paper market ms per wall ms (default 1500)", positive("--speed"), 1500)
    .option("--no-live", "leave out the live-mode trader")
    .option("--seed <n>", "seed of the synthetic candles", positive("--seed"), 1)
    .option("--report <file>", "report path", "logs/soak-report.json")
    .option(
      "--db <url>",
      "postgres://… to run on a fresh schema of that database, or sqlite (default: DATABASE_URL " +
        "when it is postgres://…, else a SQLite file in the work directory)",
    )
    .option(
      "--keep",
      "keep the work directory (DB, logs) and the PostgreSQL schema even when every check passes",
    );
  await program.parseAsync(args, { from: "user" });
  const options = program.opts();
  if (options.minutes !== undefined && options.seconds !== undefined) {
    throw new InputError("Cannot run soak: give --minutes or --seconds, not both");
  }
  const durationMs = options.seconds !== undefined
    ? options.seconds * 1000
    : (options.minutes ?? 2) * 60_000;
  const server = postgresServer(options.db);
  const dir = await Deno.makeTempDir({ prefix: "soak_" });
  const databaseUrl = soakDatabaseUrl(dir, server);
  let run;
  try {
    run = await runSoak({
      durationMs,
      speed: options.speed,
      withLive: options.live,
      seed: options.seed,
      dir,
      databaseUrl,
      say: writeLine,
    });
  } catch (error) {
    writeLine(`work directory kept: ${dir}`);
    if (server !== null) writeLine(`schema kept: ${maskDatabaseUrl(databaseUrl)}`);
    throw error;
  }
  for (const line of soakTable(run)) writeLine(line);
  const reportDir = options.report.replace(/\/[^/]*$/, "");
  if (reportDir !== options.report) await Deno.mkdir(reportDir, { recursive: true });
  await Deno.writeTextFile(options.report, JSON.stringify(run, null, 2) + "\n");
  writeLine(`report: ${options.report}`);
  if (run.ok && !options.keep) {
    await Deno.remove(dir, { recursive: true });
    dropSoakSchema(databaseUrl);
  } else {
    writeLine(`work directory kept: ${dir}`);
    if (server !== null) writeLine(`schema kept: ${soakSchema(databaseUrl)}`);
  }
  return run.ok ? 0 : 1;
}

const POSTGRES = /^postgres(ql)?:\/\//i;

/** The PostgreSQL server to soak on: `--db`, else `DATABASE_URL` when it is one; null: SQLite. */
function postgresServer(db: string | undefined): string | null {
  if (db === "sqlite") return null;
  if (db !== undefined) {
    if (!POSTGRES.test(db)) {
      throw new InputError(
        `Cannot run soak: --db must be postgres://… or sqlite (got "${maskDatabaseUrl(db)}")`,
      );
    }
    return db;
  }
  const env = Deno.env.get("DATABASE_URL") ?? "";
  return POSTGRES.test(env) ? env : null;
}

if (import.meta.main) await runTask("soak", main);
