/**
 * `deno task health --config FILE | --name NAME`: the container HEALTHCHECK. Exits 0 when the
 * instance runs and its heartbeat in the DB is fresh, else 1 with one line saying why. Every
 * failure is 1, never 2, because Docker reserves exit code 2 for health checks. Read-only.
 */
import { loadInstanceConfig, readSettings } from "../src/config/mod.ts";
import { errorMessage, InputError, StorageInputError } from "../src/core/errors.ts";
import { checkInstanceHealth, maxHeartbeatAgeMs, TRADER_CONFIG_ENV } from "../src/deploy/mod.ts";
import { openStore } from "../src/storage/mod.ts";
import { newCommand, runTask, writeErrorLine, writeLine } from "./_cli.ts";

if (import.meta.main) await runTask("health", main);

async function main(args: string[]): Promise<number> {
  const program = newCommand("health", "Exit 0 when an instance's heartbeat is fresh, else 1")
    .option("--config <file>", `instance config (default: $${TRADER_CONFIG_ENV})`)
    .option("--name <name>", "instance name, instead of --config")
    .option("--max-age <seconds>", "heartbeat age limit (default: 3 × heartbeat, at least 60)")
    .option("--db <url>", "database URL, sqlite:PATH (default: DATABASE_URL)");
  await program.parseAsync(args, { from: "user" });
  const options = program.opts();
  const maxAgeSeconds = options.maxAge === undefined ? null : positive(options.maxAge);
  try {
    const target = await resolveTarget(options.config, options.name);
    const store = openStore(options.db ?? readSettings(Deno.env.toObject()).databaseUrl, {
      readOnly: true,
    });
    let record;
    try {
      record = store.instances.get(target.name);
    } finally {
      store.close();
    }
    const verdict = checkInstanceHealth(record, {
      name: target.name,
      nowMs: Date.now(),
      maxAgeMs: maxAgeSeconds === null
        ? maxHeartbeatAgeMs(target.heartbeatSeconds)
        : maxAgeSeconds * 1000,
    });
    (verdict.healthy ? writeLine : writeErrorLine)(verdict.message);
    return verdict.healthy ? 0 : 1;
  } catch (error) {
    const message = errorMessage(error).replace(/\s+/g, " ");
    writeErrorLine(
      netRefusal(error) ??
        (message.startsWith("Cannot ") ? message : `Cannot check health: ${message}`),
    );
    return 1;
  }
}

/**
 * The database host outside the `health` permission set, said for this task: which set, and the
 * two ways out (the set's `net` list, or the container `deno task compose` generates, whose check
 * gets the DB host). Null for any other error.
 */
function netRefusal(error: unknown): string | null {
  if (!(error instanceof StorageInputError)) return null;
  const host = /does not allow net access to (\S+?);/.exec(error.message)?.[1];
  if (host === undefined) return null;
  return `Cannot check health: the database in DATABASE_URL is at ${host}, which the health ` +
    `permission set does not allow; add "${host}" to the "net" list of permissions.health in ` +
    "deno.json, or run the check in the container deno task compose generates (it adds the DB " +
    "host)";
}

async function resolveTarget(
  config: string | undefined,
  name: string | undefined,
): Promise<{ name: string; heartbeatSeconds: number | null }> {
  if (config !== undefined && name !== undefined) {
    throw new InputError("Cannot check health: give --config or --name, not both");
  }
  if (name !== undefined) return { name, heartbeatSeconds: null };
  const path = config ?? Deno.env.get(TRADER_CONFIG_ENV);
  if (path === undefined || path === "") {
    throw new InputError(`Cannot check health: give --config, --name or $${TRADER_CONFIG_ENV}`);
  }
  const loaded = await loadInstanceConfig(path, { strategies: null });
  return { name: loaded.name, heartbeatSeconds: loaded.trade.heartbeat_seconds };
}

function positive(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new InputError(`Cannot check health: --max-age: must be a positive number of seconds`);
  }
  return value;
}
