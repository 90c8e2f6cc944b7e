/** `backtest_runs`: one row per backtest, with its resolved config and metrics as JSON. */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import { camelRow } from "./_statements.ts";

/** A backtest run to store; `config` and `metrics` are JSON values. */
export interface BacktestRunInput {
  readonly createdMs: number;
  readonly name: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly strategy: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly candles: number;
  readonly returnPct: number | null;
  readonly trades: number;
  readonly config: unknown;
  readonly metrics: unknown;
}

/** A stored backtest run. */
export interface BacktestRunRecord extends BacktestRunInput {
  readonly id: number;
}

function decode(row: unknown): BacktestRunRecord {
  const record = camelRow<Record<string, unknown>>(row);
  record.config = JSON.parse(record.config as string);
  record.metrics = JSON.parse(record.metrics as string);
  return record as unknown as BacktestRunRecord;
}

/** Reads and writes backtest runs. */
export class BacktestRunRepo {
  #insert: SqlStatement;
  #get: SqlStatement;
  #recent: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#insert = db.prepare(
      "INSERT INTO backtest_runs (created_ms, name, exchange, symbol, timeframe, strategy, " +
        "from_ms, to_ms, candles, return_pct, trades, config, metrics) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.#get = db.prepare("SELECT * FROM backtest_runs WHERE id = ?");
    this.#recent = db.prepare("SELECT * FROM backtest_runs ORDER BY id DESC LIMIT ?");
  }

  /** Stores a run; returns its id. */
  insert(run: BacktestRunInput): number {
    const result = this.#insert.run(
      run.createdMs,
      run.name,
      run.exchange,
      run.symbol,
      run.timeframe,
      run.strategy,
      run.fromMs,
      run.toMs,
      run.candles,
      run.returnPct,
      run.trades,
      JSON.stringify(run.config ?? null),
      JSON.stringify(run.metrics ?? null),
    );
    return Number(result.lastInsertRowid);
  }

  /** The run with this id, or null. */
  get(id: number): BacktestRunRecord | null {
    const row = this.#get.get(id);
    return row ? decode(row) : null;
  }

  /** The newest runs, newest first. */
  recent(limit = 50): BacktestRunRecord[] {
    return this.#recent.all(limit).map(decode);
  }
}
