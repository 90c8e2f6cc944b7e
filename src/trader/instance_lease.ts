/**
 * One instance name, one running process, across hosts: the trader takes its name's lease before
 * it writes anything, renews it with each heartbeat and gives it up when it stops. On the same
 * host a lock file tells a holder that died (SIGKILL) from one that runs, so a restart in the same
 * folder need not wait for the lease to expire; elsewhere the lease's expiry decides.
 */
import { InputError } from "../core/errors.ts";
import type { InstanceLease, LeaseRepo } from "../storage/lease_repo.ts";

/** Heartbeats a lease outlives: two may be missed (a slow step, a DB restart) before it lapses. */
export const LEASE_HEARTBEATS = 3;

/** What the lease needs from the process: its identity, time and the lock file. */
export interface LeaseHost {
  readonly host: string;
  readonly pid: number;
  nowMs(): number;
  /** Holds `path` exclusively until released or the process ends; null when another does. */
  tryLock(path: string): { release(): void } | null;
}

/** Options of `holdInstanceLease`. */
export interface InstanceLeaseOptions {
  readonly name: string;
  /** Absolute path of this name's lock file in this working folder. */
  readonly lockPath: string;
  readonly heartbeatMs: number;
  /** Called once when another run has taken the lease over: this process must stop at once. */
  readonly onLost: (holder: InstanceLease | null) => void;
  /** A renewal that could not be written (the DB is unreachable); the next beat tries again. */
  readonly onRenewError: (error: unknown) => void;
}

/** A held lease; `release` stops renewing and gives it up. */
export interface HeldLease {
  /** The run whose lease this one replaced (expired, or dead on this host), or null. */
  readonly previous: InstanceLease | null;
  release(): void;
}

/**
 * Takes the lease of `options.name` or throws a one-line `InputError` naming the holder's host
 * and pid; then renews it every heartbeat.
 */
export function holdInstanceLease(
  leases: LeaseRepo,
  host: LeaseHost,
  options: InstanceLeaseOptions,
): HeldLease {
  const ttlMs = options.heartbeatMs * LEASE_HEARTBEATS;
  const token = crypto.randomUUID();
  const lock = host.tryLock(options.lockPath);
  if (lock === null) {
    // A live process in this folder runs the name (it holds the lock file).
    const holder = leases.get(options.name);
    throw holder ? refusal(options.name, holder, host.nowMs()) : new InputError(
      `Cannot start ${options.name}: another process in this folder runs it (it holds ` +
        `${options.lockPath}); stop that process first`,
    );
  }
  const outcome = leases.acquire({
    name: options.name,
    host: host.host,
    pid: host.pid,
    token,
    lockPath: options.lockPath,
    nowMs: host.nowMs(),
    ttlMs,
    // We hold the holder's own lock file: it is not running any more.
    holderDead: (holder) => holder.host === host.host && holder.lockPath === options.lockPath,
  });
  if (!outcome.acquired) {
    lock.release();
    throw refusal(options.name, outcome.holder, host.nowMs());
  }
  let lost = false;
  const renew = () => {
    if (lost) return;
    try {
      if (leases.renew(options.name, token, host.nowMs(), ttlMs)) return;
      lost = true;
      clearInterval(timer);
      options.onLost(leases.get(options.name));
    } catch (error) {
      options.onRenewError(error);
    }
  };
  const timer = setInterval(renew, options.heartbeatMs);
  return {
    previous: outcome.previous,
    release() {
      clearInterval(timer);
      try {
        if (!lost) leases.release(options.name, token);
      } catch {
        // The database refused the write (disk full, connection lost): the lease lapses by itself
        // after its time to live, and the error that ended the run stays the one reported.
      } finally {
        lock.release();
      }
    },
  };
}

function refusal(name: string, holder: InstanceLease, nowMs: number): InputError {
  const seconds = (ms: number) => `${Math.max(0, Math.ceil(ms / 1000))} s`;
  return new InputError(
    `Cannot start ${name}: instance "${name}" is running on host ${holder.host} as pid ` +
      `${holder.pid} (lease renewed ${seconds(nowMs - holder.renewedMs)} ago, expires in ` +
      `${seconds(holder.expiresMs - nowMs)}); stop that process first, or start this one after ` +
      "its lease has expired",
  );
}
