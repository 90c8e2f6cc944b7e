/**
 * `deno task dashboard`: a read-only Ink dashboard of every instance in the shared DB.
 * `deno task dashboard-ctl` (`--control`, its own permission set: writes to ./data only) adds
 * keys that pause, resume, stop or exit the selected instance through the command table.
 */
import { createElement as h } from "react";
import { render } from "ink";
import { readSettings } from "../src/config/env.ts";
import { SystemClock } from "../src/core/clock.ts";
import { InputError } from "../src/core/errors.ts";
import { DashboardApp, renderOverviewText, SqliteDashboardSource } from "../src/dashboard/mod.ts";
import { requester, StoreCommandDesk } from "../src/control/mod.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";

const MIN_REFRESH_MS = 100;

if (import.meta.main) await runTask("dashboard", main);

async function main(args: string[]): Promise<number> {
  const program = newCommand(
    "dashboard",
    "Read-only terminal dashboard of every instance in the DB",
  )
    .option("--refresh <ms>", "refresh period in milliseconds", "1000")
    .option("--once", "print the overview as plain text and exit (no terminal needed)")
    .option("--db <url>", "database URL, sqlite:PATH (default: DATABASE_URL)")
    .option("--log-dir <dir>", "directory of <instance>.jsonl logs (default: LOG_DIR)")
    .option("--width <columns>", "width of the --once output (default: terminal or 160)")
    .option("--control", "keys p r t e pause, resume, stop or exit the selected instance");
  await program.parseAsync(args, { from: "user" });
  const options = program.opts();
  const settings = readSettings(Deno.env.toObject());
  const refreshMs = positiveInteger("--refresh", options.refresh, MIN_REFRESH_MS);
  const databaseUrl = options.db ?? settings.databaseUrl;
  if (options.control) checkControlPermission();
  const source = new SqliteDashboardSource(databaseUrl);
  if (options.once) {
    const width = options.width ? positiveInteger("--width", options.width, 40) : terminalWidth();
    return printOnce(source, width);
  }
  if (!Deno.stdin.isTerminal() || !Deno.stdout.isTerminal()) {
    throw new InputError("Cannot start dashboard: not a terminal; use --once for plain text");
  }
  const app = render(
    h(DashboardApp, {
      source,
      refreshMs,
      clock: new SystemClock(),
      logDir: options.logDir ?? settings.logDir,
      colour: (Deno.env.get("NO_COLOR") ?? "") === "",
      desk: options.control
        ? new StoreCommandDesk(databaseUrl, {
          by: `dashboard:${requester(Deno.env.toObject())}`,
          clock: new SystemClock(),
        })
        : undefined,
    }),
    { alternateScreen: true, exitOnCtrlC: true, interactive: true, patchConsole: false },
  );
  // A signal from outside (docker stop, kill) restores the terminal like `q` does.
  const stop = () => app.unmount();
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  await app.waitUntilExit();
  source.close();
  return 0;
}

function printOnce(source: SqliteDashboardSource, width: number): number {
  const started = performance.now();
  const reading = source.refresh(Date.now());
  const text = renderOverviewText(reading.snapshot, {
    nowMs: Date.now(),
    dbLabel: source.label,
    dbSizeBytes: reading.dbSizeBytes,
    refreshTookMs: performance.now() - started,
    width,
  });
  source.close();
  writeLine(text);
  return 0;
}

/** `--control` writes the command table: the read-only `dashboard` set cannot. */
function checkControlPermission(): void {
  if (Deno.permissions.querySync({ name: "write", path: "./data" }).state === "granted") return;
  throw new InputError(
    "Cannot start dashboard --control: the dashboard permission set is read-only; " +
      "run deno task dashboard-ctl (its set allows writes to ./data only)",
  );
}

function terminalWidth(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 160;
  }
}

function positiveInteger(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new InputError(
      `Cannot run dashboard: ${flag}: must be an integer ≥ ${min} (got "${text}")`,
    );
  }
  return value;
}
