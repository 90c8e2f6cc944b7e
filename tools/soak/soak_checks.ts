/** The soak's end checks: logs, orders against the emulators, candles against the source. */
import type { SqlDatabase } from "../../src/storage/sql_database.ts";
import type { OrderView } from "../../tests/support/emulator_control.ts";
import type { CandleSource, SourceCandle } from "../../tests/support/candle_source.ts";
import { parseTimeframe, timeframeMs } from "../../src/timeframes/mod.ts";

/** One check's verdict for the table and the report. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Lines that say SQLite made a writer wait too long. */
export const SQLITE_BUSY = /SQLITE_BUSY|database is locked/i;
/** Lines that say PostgreSQL aborted a transaction for a lock or lost a connection. */
export const POSTGRES_BUSY =
  /deadlock detected|could not serialize access|lock timeout|Cannot reach the database/i;

/** Counts lines matching `pattern` (a lock wait that failed) in every file under `dirs`. */
export async function countBusyLines(
  dirs: readonly string[],
  pattern: RegExp = SQLITE_BUSY,
): Promise<{ files: number; hits: string[] }> {
  let files = 0;
  const hits: string[] = [];
  for (const dir of dirs) {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile) continue;
      files++;
      const text = await Deno.readTextFile(`${dir}/${entry.name}`);
      for (const line of text.split("\n")) {
        if (pattern.test(line)) hits.push(`${entry.name}: ${line}`);
      }
    }
  }
  return { files, hits };
}

interface OrderRow {
  client_order_id: string;
  instance: string;
  status: string;
  filled_base_amount: number;
  exchange_order_id: string | null;
}

/** Orders of `instances` in the DB against the orders an emulator holds; problems as lines. */
export function compareOrders(
  db: SqlDatabase,
  atExchange: readonly OrderView[],
  instances: readonly string[],
): { dbOrders: number; exchangeOrders: number; problems: string[] } {
  const rows = instances.length === 0 ? [] : db.prepare(
    `SELECT client_order_id, instance, status, filled_base_amount, exchange_order_id
     FROM orders WHERE instance IN (${instances.map(() => "?").join(",")})`,
  ).all(...instances) as unknown as OrderRow[];
  const byId = new Map(rows.map((r) => [r.client_order_id, r]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const order of atExchange) {
    if (seen.has(order.clientOrderId)) {
      problems.push(`duplicate at exchange ${order.clientOrderId}`);
    }
    seen.add(order.clientOrderId);
    const row = byId.get(order.clientOrderId);
    if (row === undefined) problems.push(`exchange order ${order.clientOrderId} not in the DB`);
    else if (Math.abs(row.filled_base_amount - order.executedQty) > 1e-9) {
      problems.push(
        `${order.clientOrderId}: DB filled ${row.filled_base_amount}, exchange ${order.executedQty}`,
      );
    }
  }
  for (const row of rows) {
    // A row the exchange never saw must say so (failed); anything else is an order lost there.
    if (!seen.has(row.client_order_id) && row.status !== "failed") {
      problems.push(`DB order ${row.client_order_id} (${row.status}) not at the exchange`);
    }
  }
  return { dbOrders: rows.length, exchangeOrders: atExchange.length, problems };
}

interface CandleDbRow {
  exchange: string;
  symbol: string;
  timeframe: string;
  open_time_ms: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A candle source and the market time of the emulator serving it. */
export interface ServedSource {
  readonly source: CandleSource;
  readonly marketNowMs: number;
}

/** Every stored candle of `exchange` against the emulators' sources (8 decimals, as served). */
export function compareCandles(
  db: SqlDatabase,
  sources: readonly ServedSource[],
  exchange: string,
): { series: number; rows: number; problems: string[] } {
  const rows = db.prepare(
    "SELECT * FROM candles WHERE exchange = ? ORDER BY symbol, timeframe, open_time_ms",
  ).all(exchange) as unknown as CandleDbRow[];
  const problems: string[] = [];
  const index = [] as Map<string, Map<number, SourceCandle>>[];
  const keys = new Set<string>();
  for (const row of rows) {
    const key = `${row.symbol} ${row.timeframe}`;
    keys.add(key);
    const tfMs = timeframeMs(parseTimeframe(row.timeframe));
    const found = sources.map((served, i) => {
      const maps = index[i] ?? (index[i] = new Map());
      if (!maps.has(key)) {
        const candles = served.source.series(row.symbol.replace("/", ""), tfMs)?.candles ?? [];
        maps.set(key, new Map(candles.map((c) => [c.openTimeMs, c])));
      }
      return { served, want: maps.get(key)!.get(row.open_time_ms) };
    }).find((hit) => hit.want !== undefined);
    const problem = found === undefined
      ? "not in the source"
      : row.open_time_ms + tfMs > found.served.marketNowMs
      ? "stored before it closed"
      : differingField(row, found.want!);
    if (problem !== null) problems.push(`${key} ${row.open_time_ms}: ${problem}`);
  }
  return { series: keys.size, rows: rows.length, problems };
}

function differingField(row: CandleDbRow, want: SourceCandle): string | null {
  for (const field of ["open", "high", "low", "close", "volume"] as const) {
    if (Number(want[field].toFixed(8)) !== row[field]) {
      return `${field} ${row[field]} != ${want[field]}`;
    }
  }
  return null;
}
