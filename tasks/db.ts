/**
 * `deno task db copy --from URL --to URL [--replace]`: moves an installation between databases
 * (SQLite ⇄ PostgreSQL). The source is opened read-only; the target is migrated, must be empty
 * unless `--replace`, and is written in one transaction. Prints each table's row count and
 * checksum on both sides; exits 1 when any differ.
 */
import { InputError } from "../src/core/errors.ts";
import { copyDatabase, type TableCopy } from "../src/storage/copy_database.ts";
import { openDatabase } from "../src/storage/database.ts";
import { maskDatabaseUrl } from "../src/storage/database_url.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";

if (import.meta.main) await runTask("db", main);

async function main(args: string[]): Promise<number> {
  const program = newCommand("db", "Database maintenance");
  let code = 0;
  program.command("copy")
    .description("Copy every table to another database, verified by row counts and checksums")
    .requiredOption("--from <url>", "source DATABASE_URL (sqlite:PATH or postgres://…)")
    .requiredOption("--to <url>", "target DATABASE_URL")
    .option("--replace", "empty a target that already has rows")
    .action((options: { from: string; to: string; replace?: boolean }) => {
      code = copy(options.from, options.to, options.replace === true);
    });
  await program.parseAsync(args, { from: "user" });
  return code;
}

function copy(from: string, to: string, replace: boolean): number {
  if (from.trim() === to.trim()) {
    throw new InputError(`Cannot copy "${maskDatabaseUrl(from)}": --from and --to are the same`);
  }
  const source = openDatabase(from, { readOnly: true });
  try {
    const target = openDatabase(to);
    try {
      const report = copyDatabase(source, target, { replace, targetLabel: maskDatabaseUrl(to) });
      return print(report);
    } finally {
      target.close();
    }
  } finally {
    source.close();
  }
}

function print(report: readonly TableCopy[]): number {
  let bad = 0;
  for (const table of report) {
    const same = table.sourceRows === table.targetRows &&
      table.sourceChecksum === table.targetChecksum;
    if (!same) bad++;
    writeLine(
      `${table.table.padEnd(18)} ${String(table.sourceRows).padStart(9)} rows  ` +
        `${table.sourceChecksum.slice(0, 16)}  ${
          same
            ? "ok"
            : `DIFFERS: target ${table.targetRows} rows ${table.targetChecksum.slice(0, 16)}`
        }`,
    );
  }
  const rows = report.reduce((sum, table) => sum + table.sourceRows, 0);
  writeLine(
    bad === 0
      ? `Copied ${rows} rows in ${report.length} tables; counts and checksums match`
      : `${bad} tables differ after the copy`,
  );
  return bad === 0 ? 0 : 1;
}
