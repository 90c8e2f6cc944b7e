/** The kill campaign's reads of the shared DB file while traders write it. */
import { DatabaseSync } from "node:sqlite";

/**
 * `PRAGMA integrity_check` of the file (opened read-write, as a restarted trader would); "ok"
 * while no process has created it yet.
 */
export function integrity(path: string): string {
  if (!exists(path)) return "ok";
  return withDb(path, (db) => {
    db.exec("PRAGMA busy_timeout = 5000");
    return (db.prepare("PRAGMA integrity_check").get() as { integrity_check: string })
      .integrity_check;
  }, false);
}

/** Client ids of the instance's `submitting` rows. */
export function submittingIds(path: string, instance: string): string[] {
  if (!exists(path)) return [];
  return beforeTables(() =>
    withDb(path, (db) => {
      const rows = db.prepare(
        "SELECT client_order_id AS id FROM orders WHERE instance = ? AND status = 'submitting'",
      ).all(instance) as unknown as { id: string }[];
      return rows.map((r) => r.id);
    }), []);
}

/** The instance row's status and pid, or null before the first start. */
export function instanceRow(path: string, name: string): { status: string; pid: number } | null {
  if (!exists(path)) return null;
  return beforeTables(() =>
    withDb(path, (db) => {
      const row = db.prepare("SELECT status, pid FROM instances WHERE name = ?").get(name) as
        | { status: string; pid: number }
        | undefined;
      return row ?? null;
    }), null);
}

/** Rows of `table` of the instance. */
export function countRows(path: string, table: "trades" | "orders", instance: string): number {
  return withDb(
    path,
    (db) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE instance = ?`).get(instance) as {
        n: number;
      }).n,
  );
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** `read`, or `empty` while the first trader has not yet created the tables. */
function beforeTables<T>(read: () => T, empty: T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof Error && /no such table/.test(error.message)) return empty;
    throw error;
  }
}

/** Runs `read` on a connection to the file, closed after. */
export function withDb<T>(path: string, read: (db: DatabaseSync) => T, readOnly = true): T {
  const db = new DatabaseSync(path, { readOnly });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
