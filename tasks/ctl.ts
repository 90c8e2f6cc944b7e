/**
 * `deno task ctl NAME pause|resume|stop|exit` and `deno task ctl --all pause`: queues an
 * operator command in the database for a running trader, which carries it out within one
 * heartbeat; prints the acknowledgement (who asked, when, what was done). No exchange access.
 * Exit 2: unknown instance or action; exit 1: the instance is not running, or no acknowledgement
 * within --wait seconds.
 */
import { readSettings } from "../src/config/mod.ts";
import { SystemClock } from "../src/core/clock.ts";
import { InputError } from "../src/core/errors.ts";
import {
  ackLine,
  knownInstance,
  notRunning,
  parseAction,
  requestCommand,
  requester,
  waitForAck,
} from "../src/control/instance_control.ts";
import { openStore, type Store } from "../src/storage/mod.ts";
import { newCommand, runTask, writeErrorLine, writeLine } from "./_cli.ts";

if (import.meta.main) await runTask("ctl", main);

async function main(args: string[]): Promise<number> {
  const program = newCommand("ctl", "Pause, resume, stop or exit (sell) a running instance")
    .argument("[name]", "instance name (or --all)")
    .argument("[action]", "pause, resume, stop or exit (closes the position at market)")
    .option("--all", "every running instance")
    .option("--wait <seconds>", "how long to wait for the acknowledgement (0: do not wait)", "30")
    .option("--db <url>", "database URL (default: DATABASE_URL)");
  await program.parseAsync(args, { from: "user" });
  const options = program.opts();
  const [first, second] = program.args;
  if (options.all && second !== undefined) {
    throw new InputError("Cannot run ctl: give an instance name or --all, not both");
  }
  const name = options.all ? null : first;
  const actionText = options.all ? first : second;
  if (name === undefined || actionText === undefined) {
    throw new InputError(
      "Cannot run ctl: usage: ctl NAME pause|resume|stop|exit, or ctl --all ACTION",
    );
  }
  const action = parseAction(actionText);
  const waitMs = seconds(options.wait) * 1000;
  const store = openStore(options.db ?? readSettings(Deno.env.toObject()).databaseUrl);
  try {
    const by = requester(Deno.env.toObject());
    const names = name === null ? runningNames(store) : [name];
    if (name !== null) knownInstance(store, name);
    const ids = names.map((instance) =>
      requestCommand(store, { instance, action, by, nowMs: Date.now() })
    );
    if (waitMs === 0) {
      for (const instance of names) writeLine(`${instance}: ${action} queued by ${by}`);
      return 0;
    }
    let missing = 0;
    for (const [i, id] of ids.entries()) {
      const acked = await waitForAck(store, id, { timeoutMs: waitMs, clock: new SystemClock() });
      if (acked === null) {
        missing++;
        writeErrorLine(`${names[i]}: ${action} queued, not acknowledged within ${options.wait} s`);
      } else writeLine(ackLine(acked));
    }
    return missing === 0 ? 0 : 1;
  } finally {
    store.close();
  }
}

/** Names of the instances that run now; `--all` with none exits 1. */
function runningNames(store: Store): string[] {
  const nowMs = Date.now();
  const names = store.instances.list().filter((row) => notRunning(row, nowMs) === null)
    .map((row) => row.name);
  if (names.length === 0) throw new Error("Cannot run ctl --all: no instance is running");
  return names;
}

function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 3600) {
    throw new InputError(`Cannot run ctl: --wait must be 0 to 3600 seconds (got "${text}")`);
  }
  return value;
}
