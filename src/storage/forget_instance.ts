/**
 * Forgets every row one instance wrote. Used for throw-away instances (the demo's replay), so that
 * running the demo twice shows one run, not two piled up.
 */
import type { SqlDatabase } from "./sql_database.ts";
import { writeTransaction } from "./write_transaction.ts";

/** Tables with an `instance` column, children first (fills reference orders). */
const INSTANCE_TABLES = [
  "fills",
  "trades",
  "orders",
  "equity",
  "decisions",
  "notify_outbox",
  "notify_dropped",
  "notify_once",
  "instance_commands",
] as const;

/** Deletes the instance's orders, fills, trades, equity, decisions and row; returns rows deleted. */
export function forgetInstance(db: SqlDatabase, name: string): number {
  return writeTransaction(db, () => {
    let deleted = 0;
    for (const table of INSTANCE_TABLES) {
      deleted += Number(db.prepare(`DELETE FROM ${table} WHERE instance = ?`).run(name).changes);
    }
    deleted += Number(db.prepare("DELETE FROM instances WHERE name = ?").run(name).changes);
    return deleted;
  });
}
