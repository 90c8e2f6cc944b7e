/** The dashboard's read-only queries: one cheap, indexed query per table per refresh. */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import { StorageError } from "../core/errors.ts";
import type { ClosedTrade } from "../core/types.ts";
import type { InstanceRecord } from "./instance_repo.ts";

/** One `instances` row as the dashboard shows it: no pid, start time, balance or state. */
export interface InstanceSummary
  extends
    Omit<InstanceRecord, "status" | "pid" | "startedMs" | "quoteBalance" | "state" | "config"> {
  readonly status: string;
  /** Equity at the start of the UTC day (last sample before it, else the first after). */
  readonly dayStartEquityQuote: number | null;
  /** The resolved config JSON, parsed; null when absent or unreadable. */
  readonly config: Record<string, unknown> | null;
  /** Recent equity samples, oldest first, for the sparkline. */
  readonly equitySpark: readonly number[];
}

/** Everything the overview needs, read in one transaction so it is consistent. */
export interface DashboardSnapshot {
  readonly instances: readonly InstanceSummary[];
}

/** An open order of one instance. */
export interface OpenOrderRow {
  readonly clientOrderId: string;
  readonly side: string;
  readonly type: string;
  readonly baseAmount: number;
  readonly price: number | null;
  readonly status: string;
  readonly intent: string;
  readonly createdMs: number;
}

/** A closed round trip of one instance, as the dashboard lists it (no fees). */
export interface TradeRow extends Omit<ClosedTrade, "fees" | "exitReason"> {
  readonly exitReason: string;
}

/** A candle for the detail chart. */
export interface ChartCandle {
  readonly openTimeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** One instance's detail view: chart data, equity curve, orders, trades, peak equity. */
export interface InstanceDetail {
  readonly candles: readonly ChartCandle[];
  readonly equity: readonly (readonly [timeMs: number, equityQuote: number])[];
  readonly peakEquityQuote: number | null;
  readonly openOrders: readonly OpenOrderRow[];
  /** Newest first. */
  readonly trades: readonly TradeRow[];
}

/** Sizes of what the repo reads. */
export interface DashboardReadOptions {
  readonly sparkPoints?: number;
  readonly candles?: number;
  readonly equityPoints?: number;
  readonly trades?: number;
}

const OPEN_STATUSES = "('submitting','open','partially_filled')";
const DAY_MS = 86_400_000;

/** Read-only queries over a connection the caller opened with `readOnly: true`. */
export class DashboardRepo {
  #db: SqlDatabase;
  #statements = new Map<string, SqlStatement>();

  constructor(db: SqlDatabase) {
    this.#db = db;
  }

  /** The schema version (`PRAGMA user_version`); 0 for an empty file. */
  schemaVersion(): number {
    return (this.#prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
  }

  /** All instances with day-start equity and sparkline samples, in one read transaction. */
  snapshot(nowMs: number, options: DashboardReadOptions = {}): DashboardSnapshot {
    const dayStartMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
    return this.#read(() => {
      const rows = this.#prepare(INSTANCES_SQL).all(dayStartMs) as Record<string, unknown>[];
      const spark = this.#sparklines(options.sparkPoints ?? 40);
      return { instances: rows.map((row) => toInstance(row, spark.get(String(row.name)) ?? [])) };
    });
  }

  /** One instance's chart candles, equity curve, open orders and last trades. */
  detail(instance: InstanceSummary, options: DashboardReadOptions = {}): InstanceDetail {
    return this.#read(() => {
      const candles = this.#prepare(CANDLES_SQL).all(
        instance.exchange,
        instance.symbol,
        instance.timeframe,
        options.candles ?? 240,
      ) as unknown as ChartCandle[];
      const equity = this.#prepare(EQUITY_SQL).all(instance.name, options.equityPoints ?? 400)
        .map((row) => [Number(row.timeMs), Number(row.equityQuote)] as const);
      const peak = this.#prepare("SELECT MAX(equity_quote) AS peak FROM equity WHERE instance = ?")
        .get(instance.name) as { peak: number | null };
      return {
        candles: candles.reverse(),
        equity: equity.reverse(),
        peakEquityQuote: peak.peak,
        openOrders: this.#prepare(ORDERS_SQL).all(instance.name) as unknown as OpenOrderRow[],
        trades: this.#prepare(TRADES_SQL).all(
          instance.name,
          options.trades ?? 50,
        ) as unknown as TradeRow[],
      };
    });
  }

  #sparklines(points: number): Map<string, number[]> {
    const spark = new Map<string, number[]>();
    for (const row of this.#prepare(SPARK_SQL).all(points - 1)) {
      const name = String(row.instance);
      const list = spark.get(name) ?? [];
      list.push(Number(row.equityQuote));
      spark.set(name, list);
    }
    return spark;
  }

  // A deferred read transaction gives one WAL snapshot; it never takes a write lock.
  #read<T>(fn: () => T): T {
    if (this.#db.isTransaction) return fn();
    this.#db.exec("BEGIN");
    try {
      return fn();
    } catch (error) {
      throw new StorageError(`Cannot read dashboard data: ${firstLine(error)}`, { cause: error });
    } finally {
      if (this.#db.isTransaction) this.#db.exec("COMMIT");
    }
  }

  #prepare(sql: string): SqlStatement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

function toInstance(row: Record<string, unknown>, equitySpark: number[]): InstanceSummary {
  const { config, ...rest } = row;
  return { ...rest, config: parseConfig(config), equitySpark } as unknown as InstanceSummary;
}

function parseConfig(text: unknown): Record<string, unknown> | null {
  if (typeof text !== "string") return null;
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

// Day-start equity is a correlated lookup on the equity primary key (instance, time_ms).
const INSTANCES_SQL = `
SELECT name, exchange, symbol, timeframe, strategy, mode, status,
  status_reason AS statusReason, heartbeat_ms AS heartbeatMs, equity_quote AS equityQuote,
  position_base AS positionBase, entry_price AS entryPrice, last_price AS lastPrice,
  realized_pnl_quote AS realizedPnlQuote, last_signal AS lastSignal,
  last_signal_ms AS lastSignalMs, open_orders AS openOrders, last_error AS lastError, config,
  COALESCE(
    (SELECT equity_quote FROM equity e WHERE e.instance = i.name AND e.time_ms <= ?1
      ORDER BY e.time_ms DESC LIMIT 1),
    (SELECT equity_quote FROM equity e WHERE e.instance = i.name AND e.time_ms > ?1
      ORDER BY e.time_ms ASC LIMIT 1)) AS dayStartEquityQuote
FROM instances i ORDER BY name`;

// The last N samples per instance: each instance's Nth newest time first (one indexed lookup
// each), then a primary-key range from it. CROSS JOIN keeps SQLite from scanning all equity.
const SPARK_SQL = `
WITH cut AS MATERIALIZED (
  SELECT i.name, COALESCE((SELECT x.time_ms FROM equity x WHERE x.instance = i.name
    ORDER BY x.time_ms DESC LIMIT 1 OFFSET ?), 0) AS from_ms
  FROM instances i)
SELECT e.instance, e.equity_quote AS equityQuote
FROM cut CROSS JOIN equity e ON e.instance = cut.name AND e.time_ms >= cut.from_ms
ORDER BY e.instance, e.time_ms`;

const CANDLES_SQL = `
SELECT open_time_ms AS openTimeMs, open, high, low, close FROM candles
WHERE exchange = ? AND symbol = ? AND timeframe = ? ORDER BY open_time_ms DESC LIMIT ?`;

const EQUITY_SQL = `
SELECT time_ms AS timeMs, equity_quote AS equityQuote FROM equity
WHERE instance = ? ORDER BY time_ms DESC LIMIT ?`;

const ORDERS_SQL = `
SELECT client_order_id AS clientOrderId, side, type, base_amount AS baseAmount, price, status,
  intent, created_ms AS createdMs
FROM orders WHERE instance = ? AND status IN ${OPEN_STATUSES} ORDER BY created_ms`;

const TRADES_SQL = `
SELECT entry_time_ms AS entryTimeMs, exit_time_ms AS exitTimeMs, entry_price AS entryPrice,
  exit_price AS exitPrice, amount, pnl, pnl_pct AS pnlPct, exit_reason AS exitReason
FROM trades WHERE instance = ? ORDER BY exit_time_ms DESC LIMIT ?`;
