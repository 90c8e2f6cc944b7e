/** Dashboard test data: rows inserted the way a trader writes them, into a real SQLite file. */
import type { SqlDatabase } from "../../src/storage/sql_database.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { testDatabaseUrl } from "./test_database.ts";

/** A migrated, writable DB in a new temp dir. */
export async function createFixtureDb(): Promise<
  { dir: string; path: string; url: string; db: SqlDatabase }
> {
  const dir = await Deno.makeTempDir({ prefix: "dashboard_" });
  const path = `${dir}/trading.db`;
  const url = testDatabaseUrl(`sqlite:${path}`);
  return { dir, path, url, db: openDatabase(url) };
}

/** Columns of one `instances` row; everything but the name has a default. */
export interface InstanceFixture {
  name: string;
  exchange?: string;
  symbol?: string;
  timeframe?: string;
  strategy?: string;
  mode?: string;
  status?: string;
  statusReason?: string | null;
  heartbeatMs?: number;
  equityQuote?: number | null;
  positionBase?: number;
  entryPrice?: number | null;
  lastPrice?: number | null;
  realizedPnlQuote?: number;
  lastSignal?: string | null;
  lastSignalMs?: number | null;
  openOrders?: number;
  lastError?: string | null;
  config?: Record<string, unknown> | null;
}

/** Default config JSON: the risk and account keys the dashboard reads. */
export const FIXTURE_CONFIG = {
  risk: { max_drawdown_pct: 25, daily_loss_limit_pct: 5 },
  account: { balance: 10_000 },
};

/** Inserts or replaces one instance row. */
export function putInstance(db: SqlDatabase, row: InstanceFixture, nowMs: number): void {
  db.prepare(
    `INSERT OR REPLACE INTO instances (name, exchange, symbol, timeframe, strategy, mode, status,
      status_reason, pid, started_ms, heartbeat_ms, equity_quote, quote_balance, position_base,
      entry_price, last_price, realized_pnl_quote, last_signal, last_signal_ms, open_orders,
      last_error, state, config)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1234, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`,
  ).run(
    row.name,
    row.exchange ?? "binance",
    row.symbol ?? "BTC/USDT",
    row.timeframe ?? "1h",
    row.strategy ?? "rsi_macd",
    row.mode ?? "paper",
    row.status ?? "running",
    row.statusReason ?? null,
    nowMs - 3_600_000,
    row.heartbeatMs ?? nowMs - 1000,
    row.equityQuote === undefined ? 10_000 : row.equityQuote,
    row.positionBase ?? 0,
    row.entryPrice ?? null,
    row.lastPrice ?? null,
    row.realizedPnlQuote ?? 0,
    row.lastSignal ?? null,
    row.lastSignalMs ?? null,
    row.openOrders ?? 0,
    row.lastError ?? null,
    row.config === null ? null : JSON.stringify(row.config ?? FIXTURE_CONFIG),
  );
}

/** Inserts equity samples `[timeMs, equityQuote]`. */
export function putEquity(db: SqlDatabase, instance: string, points: readonly [number, number][]) {
  const insert = db.prepare(
    "INSERT OR REPLACE INTO equity (instance, time_ms, equity_quote) VALUES (?, ?, ?)",
  );
  for (const [timeMs, equityQuote] of points) insert.run(instance, timeMs, equityQuote);
}

/** Inserts one closed trade. */
export function putTrade(
  db: SqlDatabase,
  instance: string,
  trade: {
    entryTimeMs: number;
    exitTimeMs: number;
    entryPrice: number;
    exitPrice: number;
    amount: number;
  },
): void {
  const pnl = (trade.exitPrice - trade.entryPrice) * trade.amount;
  db.prepare(
    `INSERT INTO trades (instance, symbol, entry_time_ms, exit_time_ms, entry_price, exit_price,
      amount, pnl, pnl_pct, fees, exit_reason) VALUES (?, 'BTC/USDT', ?, ?, ?, ?, ?, ?, ?, 0, 'signal')`,
  ).run(
    instance,
    trade.entryTimeMs,
    trade.exitTimeMs,
    trade.entryPrice,
    trade.exitPrice,
    trade.amount,
    pnl,
    (trade.exitPrice / trade.entryPrice - 1) * 100,
  );
}

/** Inserts one order with the given status. */
export function putOrder(
  db: SqlDatabase,
  instance: string,
  order: {
    clientOrderId: string;
    side: string;
    status: string;
    price: number | null;
    nowMs: number;
  },
): void {
  db.prepare(
    `INSERT INTO orders (client_order_id, instance, exchange, symbol, side, type, base_amount, price,
      status, intent, candle_time_ms, created_ms, updated_ms)
     VALUES (?, ?, 'binance', 'BTC/USDT', ?, 'limit', 0.1, ?, ?, 'take_profit', ?, ?, ?)`,
  ).run(
    order.clientOrderId,
    instance,
    order.side,
    order.price,
    order.status,
    order.nowMs,
    order.nowMs,
    order.nowMs,
  );
}

/** Inserts `count` hourly candles ending before `endMs`, on a gentle wave around `base`. */
export function putCandles(
  db: SqlDatabase,
  count: number,
  options: { endMs: number; base?: number; timeframe?: string },
) {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO candles (exchange, symbol, timeframe, open_time_ms, open, high, low, close, volume)
     VALUES ('binance', 'BTC/USDT', ?, ?, ?, ?, ?, ?, 1)`,
  );
  const base = options.base ?? 60_000;
  const start = Math.floor(options.endMs / 3_600_000) * 3_600_000 - count * 3_600_000;
  for (let i = 0; i < count; i++) {
    const close = base + Math.sin(i / 6) * 500 + i * 2;
    insert.run(
      options.timeframe ?? "1h",
      start + i * 3_600_000,
      close - 10,
      close + 30,
      close - 40,
      close,
    );
  }
}

/** Twelve instances: running, stale, errored, halted, stopped, live and paper, some in position. */
export function seedTwelve(db: SqlDatabase, nowMs: number): void {
  const statuses: InstanceFixture[] = [
    { name: "btc-1h", status: "running", positionBase: 0.1, entryPrice: 60_000, lastPrice: 61_000 },
    { name: "eth-15m", symbol: "ETH/USDT", timeframe: "15m", status: "running", mode: "live" },
    { name: "sol-5m", symbol: "SOL/USDT", timeframe: "5m", heartbeatMs: nowMs - 5 * 60_000 },
    { name: "ada-1h", symbol: "ADA/USDT", status: "error", statusReason: "auth failed: bad key" },
    {
      name: "xrp-4h",
      symbol: "XRP/USDT",
      status: "halted",
      statusReason: "max drawdown 25% reached",
    },
    {
      name: "bnb-1d",
      symbol: "BNB/USDT",
      timeframe: "1d",
      status: "stopped",
      heartbeatMs: nowMs - 86_400_000,
    },
  ];
  for (let i = statuses.length; i < 12; i++) {
    statuses.push({
      name: `alt-${String(i).padStart(2, "0")}`,
      equityQuote: 9_000 + i * 100,
      mode: i % 2 ? "live" : "paper",
    });
  }
  for (const row of statuses) putInstance(db, row, nowMs);
}
