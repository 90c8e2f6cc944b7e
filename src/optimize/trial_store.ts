/**
 * `optimize_trials`: every combination an optimisation evaluated, under a key of everything that
 * decides its result, so `--resume` skips what an interrupted run already did.
 */

/** The statement calls the store needs (both database backends offer them). */
interface Statement {
  run(...params: (string | number | Uint8Array | null)[]): unknown;
  all(...params: (string | number | null)[]): unknown[];
}

/** A database connection as far as this store uses it. */
export interface TrialDatabase {
  prepare(sql: string): Statement;
}

/** One stored trial: its metrics (JSON) and its equity at each UTC day's last candle. */
export interface StoredTrial {
  readonly metricsJson: string;
  readonly dailyEquity: Float64Array;
}

/** Reads and writes the trials of one optimisation run. */
export class TrialStore {
  readonly #insert: Statement;
  readonly #load: Statement;
  readonly #clear: Statement;
  readonly #runKey: string;

  constructor(db: TrialDatabase, runKey: string) {
    this.#runKey = runKey;
    this.#insert = db.prepare(
      "INSERT INTO optimize_trials (run_key, stage, params, metrics, daily_equity) " +
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_key, stage, params) " +
        "DO UPDATE SET metrics = excluded.metrics, daily_equity = excluded.daily_equity",
    );
    this.#load = db.prepare(
      "SELECT stage, params, metrics, daily_equity FROM optimize_trials WHERE run_key = ?",
    );
    this.#clear = db.prepare("DELETE FROM optimize_trials WHERE run_key = ?");
  }

  /** Forgets this run's trials (a fresh start). */
  clear(): void {
    this.#clear.run(this.#runKey);
  }

  /** Stores one trial. */
  save(stage: string, params: string, trial: StoredTrial): void {
    const bytes = new Uint8Array(trial.dailyEquity.buffer.slice(
      trial.dailyEquity.byteOffset,
      trial.dailyEquity.byteOffset + trial.dailyEquity.byteLength,
    ));
    this.#insert.run(this.#runKey, stage, params, trial.metricsJson, bytes);
  }

  /** Every stored trial of this run, keyed by `stage` and `params` (see `trialKey`). */
  load(): Map<string, StoredTrial> {
    const trials = new Map<string, StoredTrial>();
    for (const row of this.#load.all(this.#runKey) as Record<string, unknown>[]) {
      const blob = row.daily_equity as Uint8Array;
      const copy = new Uint8Array(blob.byteLength);
      copy.set(blob);
      trials.set(trialKey(row.stage as string, row.params as string), {
        metricsJson: row.metrics as string,
        dailyEquity: new Float64Array(copy.buffer),
      });
    }
    return trials;
  }
}

/** The map key of a trial. */
export function trialKey(stage: string, params: string): string {
  return `${stage}\n${params}`;
}
