/** `rate_budget`: token buckets shared by every process on this host, one per exchange. */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import { writeTransaction } from "./write_transaction.ts";

/** One reservation against a bucket; costs are CCXT cost units. */
export interface RateBudgetReservation {
  /** The bucket, e.g. the exchange id. */
  readonly bucket: string;
  /** Cost of the request about to be sent. */
  readonly cost: number;
  readonly nowMs: number;
  /** Units the bucket regains per ms: the shared rate. */
  readonly refillPerMs: number;
  /** Most units the bucket holds: the burst allowed after a quiet spell. */
  readonly capacity: number;
}

interface BucketRow {
  tokens: number;
  updated_ms: number;
}

/**
 * A token bucket that may go into debt: each caller takes its cost at once and waits until the
 * debt is repaid, so callers from every process are served in arrival order, one write each.
 */
export class RateBudgetRepo {
  #db: SqlDatabase;
  #get: SqlStatement;
  #put: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#db = db;
    this.#get = db.prepare("SELECT tokens, updated_ms FROM rate_budget WHERE bucket = ?");
    this.#put = db.prepare(
      "INSERT INTO rate_budget (bucket, tokens, updated_ms) VALUES (?, ?, ?) ON CONFLICT (bucket) " +
        "DO UPDATE SET tokens = excluded.tokens, updated_ms = excluded.updated_ms",
    );
  }

  /** Takes `cost` from the bucket; returns how many ms the caller must wait before sending. */
  reserve(request: RateBudgetReservation): number {
    const { bucket, cost, nowMs, refillPerMs, capacity } = request;
    return writeTransaction(this.#db, () => {
      const row = this.#get.get(bucket) as BucketRow | undefined;
      // A clock read a moment earlier by another process must not refill backwards.
      const updatedMs = Math.max(nowMs, row?.updated_ms ?? nowMs);
      const elapsedMs = Math.max(0, nowMs - (row?.updated_ms ?? nowMs));
      const refilled = Math.min(capacity, (row?.tokens ?? capacity) + elapsedMs * refillPerMs);
      const tokens = refilled - cost;
      this.#put.run(bucket, tokens, updatedMs);
      return tokens >= 0 ? 0 : Math.ceil(-tokens / refillPerMs);
    });
  }

  /** The bucket's stored level (negative while in debt), or null before its first use. */
  level(bucket: string): { tokens: number; updatedMs: number } | null {
    const row = this.#get.get(bucket) as BucketRow | undefined;
    return row ? { tokens: row.tokens, updatedMs: row.updated_ms } : null;
  }
}
