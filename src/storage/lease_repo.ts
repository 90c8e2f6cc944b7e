/**
 * `instance_leases`: which process runs an instance name. One row per name: the holder's host,
 * pid and token, and until when the lease holds; the holder renews it with its heartbeat. A second
 * process with the same name is refused while the lease is fresh, on any host sharing the DB.
 */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import { camelRow } from "./_statements.ts";
import { writeTransaction } from "./write_transaction.ts";

/** A lease as stored. */
export interface InstanceLease {
  readonly name: string;
  readonly host: string;
  readonly pid: number;
  /** Unique per process run: renewals and releases of an older run do not match it. */
  readonly token: string;
  /** The holder's lock file on its host (absolute), to tell a dead holder on the same host. */
  readonly lockPath: string;
  readonly acquiredMs: number;
  readonly renewedMs: number;
  readonly expiresMs: number;
}

/** A request to hold `name`. */
export interface LeaseRequest {
  readonly name: string;
  readonly host: string;
  readonly pid: number;
  readonly token: string;
  readonly lockPath: string;
  readonly nowMs: number;
  readonly ttlMs: number;
  /** True when the fresh lease's holder is known dead (its lock file is free on this host). */
  readonly holderDead?: (holder: InstanceLease) => boolean;
}

/** The lease was taken (`previous`: the run it replaced, if any), or refused (`holder`). */
export type LeaseOutcome =
  | { readonly acquired: true; readonly previous: InstanceLease | null }
  | { readonly acquired: false; readonly holder: InstanceLease };

/** Reads and writes instance leases; every change is one write transaction. */
export class LeaseRepo {
  #db: SqlDatabase;
  #get: SqlStatement;
  #put: SqlStatement;
  #renew: SqlStatement;
  #release: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#db = db;
    this.#get = db.prepare("SELECT * FROM instance_leases WHERE name = ?");
    this.#put = db.prepare(
      "INSERT INTO instance_leases (name, host, pid, token, lock_path, acquired_ms, renewed_ms, " +
        "expires_ms) VALUES (:name, :host, :pid, :token, :lock_path, :now_ms, :now_ms, :expires_ms) " +
        "ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid, " +
        "token = excluded.token, lock_path = excluded.lock_path, acquired_ms = excluded.acquired_ms, " +
        "renewed_ms = excluded.renewed_ms, expires_ms = excluded.expires_ms",
    );
    this.#renew = db.prepare(
      "UPDATE instance_leases SET renewed_ms = ?, expires_ms = ? WHERE name = ? AND token = ?",
    );
    this.#release = db.prepare("DELETE FROM instance_leases WHERE name = ? AND token = ?");
  }

  /** Takes the lease unless another run holds it fresh (and is not known dead). */
  acquire(request: LeaseRequest): LeaseOutcome {
    return writeTransaction(this.#db, () => {
      const current = this.get(request.name);
      const fresh = current !== null && current.expiresMs > request.nowMs &&
        current.token !== request.token;
      if (fresh && !(request.holderDead?.(current) ?? false)) {
        return { acquired: false, holder: current };
      }
      this.#put.run({
        name: request.name,
        host: request.host,
        pid: request.pid,
        token: request.token,
        lock_path: request.lockPath,
        now_ms: request.nowMs,
        expires_ms: request.nowMs + request.ttlMs,
      });
      return { acquired: true, previous: current };
    });
  }

  /** Extends the lease; false when this run no longer holds it (another run took it over). */
  renew(name: string, token: string, nowMs: number, ttlMs: number): boolean {
    return Number(this.#renew.run(nowMs, nowMs + ttlMs, name, token).changes) === 1;
  }

  /** Gives the lease up (a clean stop); a lease another run holds is left alone. */
  release(name: string, token: string): void {
    this.#release.run(name, token);
  }

  /** The lease of `name`, or null. */
  get(name: string): InstanceLease | null {
    const row = this.#get.get(name);
    return row ? camelRow<InstanceLease>(row) : null;
  }
}
