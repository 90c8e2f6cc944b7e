/**
 * The operator's side of commands (`deno task ctl`, the dashboard with `--control`): check the
 * request, queue it in the database, and wait for the trader's acknowledgement. No exchange
 * access and no keys: the running trader carries the command out.
 */
import { closeMatches } from "../core/close_matches.ts";
import { InputError, TradingError } from "../core/errors.ts";
import type { Clock } from "../core/ports.ts";
import { maxHeartbeatAgeMs } from "../deploy/instance_health.ts";
import {
  COMMAND_ACTIONS,
  type CommandAction,
  type InstanceCommand,
} from "../storage/command_repo.ts";
import type { InstanceRecord } from "../storage/instance_repo.ts";
import type { Store } from "../storage/store.ts";

/** Statuses of a trader that takes commands. */
const LIVE_STATUSES = new Set(["starting", "running", "paused", "halted"]);

/** The instance is not running: exit code 1, and its status says why. */
export class NotRunningError extends TradingError {
  override readonly exitCode: number = 1;
}

/** `action` checked against the known actions; an InputError (exit 2) names the closest. */
export function parseAction(action: string): CommandAction {
  if ((COMMAND_ACTIONS as readonly string[]).includes(action)) return action as CommandAction;
  const match = closeMatches(action, COMMAND_ACTIONS, { limit: 1 })[0];
  throw new InputError(
    `Cannot send command: unknown action "${action}"; ${
      match ? `did you mean "${match}"?` : `known: ${COMMAND_ACTIONS.join(", ")}`
    }`,
  );
}

/** The instance row of `name`; an InputError (exit 2) names the closest known instance. */
export function knownInstance(store: Store, name: string): InstanceRecord {
  const record = store.instances.get(name);
  if (record !== null) return record;
  const names = store.instances.list().map((row) => row.name);
  const match = closeMatches(name, names, { limit: 1 })[0];
  const hint = match
    ? `did you mean "${match}"?`
    : names.length > 0
    ? `known: ${names.join(", ")}`
    : "no instance has run on this database";
  throw new InputError(`Cannot send command: unknown instance "${name}"; ${hint}`);
}

/** Null when the instance runs (live status, fresh heartbeat), else its status in words. */
export function notRunning(record: InstanceRecord, nowMs: number): string | null {
  const ageMs = Math.max(0, nowMs - record.heartbeatMs);
  const since = new Date(record.heartbeatMs).toISOString();
  const reason = record.statusReason ? ` (${record.statusReason})` : "";
  if (!LIVE_STATUSES.has(record.status)) {
    return `${record.name} is not running: status ${record.status}${reason}, last heartbeat ${since}`;
  }
  if (ageMs > maxHeartbeatAgeMs()) {
    return `${record.name} is not running: status ${record.status} but no heartbeat since ${since}`;
  }
  return null;
}

/** Queues `action` for a running instance; returns the command id. */
export function requestCommand(
  store: Store,
  request: { instance: string; action: CommandAction; by: string; nowMs: number },
): number {
  const record = knownInstance(store, request.instance);
  const stopped = notRunning(record, request.nowMs);
  if (stopped !== null) throw new NotRunningError(`Cannot ${request.action}: ${stopped}`);
  return store.transaction(() =>
    store.commands.request(request.instance, request.action, request.by, request.nowMs)
  );
}

/** Polls until the trader acknowledged command `id`; null after `timeoutMs`. */
export async function waitForAck(
  store: Store,
  id: number,
  options: { timeoutMs: number; clock: Clock; pollMs?: number },
): Promise<InstanceCommand | null> {
  const deadline = options.clock.nowMs() + options.timeoutMs;
  for (;;) {
    const command = store.commands.get(id);
    if (command?.ackedMs !== null && command?.ackedMs !== undefined) return command;
    if (options.clock.nowMs() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}

/** `btc-rsi: pause by ana@box at …Z, acknowledged …Z: entries paused`. */
export function ackLine(command: InstanceCommand): string {
  const at = (ms: number) => new Date(ms).toISOString();
  return `${command.instance}: ${command.action} by ${command.requestedBy} at ${
    at(command.requestedMs)
  }, acknowledged ${at(command.ackedMs ?? 0)}: ${command.outcome}`;
}

/** Who asks: `user@host` (the user alone without the sys permission for the host name). */
export function requester(env: Readonly<Record<string, string | undefined>>): string {
  const user = env.USER ?? env.USERNAME ?? "unknown";
  try {
    return `${user}@${Deno.hostname()}`;
  } catch {
    return user;
  }
}
