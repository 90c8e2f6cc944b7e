/** The process side of instance leases: host name, pid, wall clock and the lock file. */
import { mkdirSync } from "node:fs";
import { maskDatabaseUrl } from "../src/storage/database_url.ts";
import type { LeaseHost } from "../src/trader/instance_lease.ts";

/** This process as a lease holder. */
export function systemLeaseHost(): LeaseHost {
  return {
    host: hostName(),
    pid: Deno.pid,
    nowMs: () => Date.now(),
    tryLock(path) {
      const file = Deno.openSync(path, { create: true, write: true });
      if (!file.tryLockSync(true)) {
        file.close();
        return null;
      }
      return { release: () => file.close() };
    },
  };
}

/**
 * The lock file of `name` on the database `databaseUrl`, under `dataDir/leases` (absolute): one
 * per name and database, so tests with the same name on different databases do not collide.
 */
export function leaseLockPath(dataDir: string, databaseUrl: string, name: string): string {
  const dir = `${dataDir}/leases`;
  mkdirSync(dir, { recursive: true });
  const safe = name.replace(/[^\w.-]/g, "_");
  return `${Deno.realPathSync(dir)}/${safe}-${fnv1a(maskDatabaseUrl(databaseUrl))}.lock`;
}

function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    // Without the sys permission: the environment's name, else a placeholder.
    return Deno.env.get("HOSTNAME") ?? "unknown-host";
  }
}

/** 32-bit FNV-1a, hex: a short stable tag of the database. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
