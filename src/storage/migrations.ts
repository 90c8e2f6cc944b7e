/**
 * Versioned schema. Migration N brings `PRAGMA user_version` from N-1 to N in one transaction.
 * Append new migrations; never edit one that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the initial schema.
  `
  CREATE TABLE candles (
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    timeframe TEXT NOT NULL,
    open_time_ms INTEGER NOT NULL,
    open REAL NOT NULL,
    high REAL NOT NULL,
    low REAL NOT NULL,
    close REAL NOT NULL,
    volume REAL NOT NULL,
    PRIMARY KEY (exchange, symbol, timeframe, open_time_ms)
  ) WITHOUT ROWID;

  -- Ranges of open times the exchange itself does not have; not requested again.
  CREATE TABLE candle_gaps (
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    timeframe TEXT NOT NULL,
    from_ms INTEGER NOT NULL,   -- first missing open time
    to_ms INTEGER NOT NULL,     -- last missing open time (inclusive)
    missing INTEGER NOT NULL,   -- number of missing candles
    confirmed_ms INTEGER,       -- when a re-request confirmed the exchange lacks them; NULL: not yet re-requested
    PRIMARY KEY (exchange, symbol, timeframe, from_ms)
  ) WITHOUT ROWID;

  CREATE TABLE markets (
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    base TEXT NOT NULL,
    quote TEXT NOT NULL,
    active INTEGER NOT NULL,
    amount_step REAL,
    price_step REAL,
    min_amount REAL,
    min_notional REAL,
    maker_fee REAL,
    taker_fee REAL,
    timeframes TEXT,            -- JSON array of the exchange's timeframes, NULL when unknown
    raw TEXT NOT NULL,          -- CCXT's market structure as JSON
    fetched_ms INTEGER NOT NULL,
    PRIMARY KEY (exchange, symbol)
  ) WITHOUT ROWID;

  CREATE TABLE instances (
    name TEXT PRIMARY KEY,
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    timeframe TEXT NOT NULL,
    strategy TEXT NOT NULL,
    mode TEXT NOT NULL,           -- paper | live | replay
    status TEXT NOT NULL,         -- starting | running | stopped | halted | error | paused
    status_reason TEXT,
    pid INTEGER,
    started_ms INTEGER NOT NULL,
    heartbeat_ms INTEGER NOT NULL,
    equity_quote REAL,
    quote_balance REAL,
    position_base REAL NOT NULL DEFAULT 0,
    entry_price REAL,
    last_price REAL,
    realized_pnl_quote REAL NOT NULL DEFAULT 0,
    last_signal TEXT,
    last_signal_ms INTEGER,
    open_orders INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    state TEXT,                   -- JSON snapshot the instance resumes from
    config TEXT                   -- resolved config as JSON, without secrets
  );

  CREATE TABLE orders (
    client_order_id TEXT PRIMARY KEY,
    instance TEXT NOT NULL,
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    type TEXT NOT NULL,
    base_amount REAL NOT NULL,
    price REAL,
    status TEXT NOT NULL,
    exchange_order_id TEXT,
    filled_base_amount REAL NOT NULL DEFAULT 0,
    average_price REAL,
    fee_quote REAL NOT NULL DEFAULT 0,
    intent TEXT NOT NULL,         -- enter | exit | stop_loss | take_profit | trailing_stop | ...
    reason TEXT,
    candle_time_ms INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    error TEXT
  );
  CREATE INDEX orders_instance_status ON orders (instance, status);

  CREATE TABLE fills (
    client_order_id TEXT NOT NULL REFERENCES orders (client_order_id),
    trade_id TEXT NOT NULL,
    instance TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    side TEXT NOT NULL,
    price REAL NOT NULL,
    base_amount REAL NOT NULL,
    fee_quote REAL NOT NULL,
    PRIMARY KEY (client_order_id, trade_id)
  ) WITHOUT ROWID;

  CREATE TABLE trades (
    id INTEGER PRIMARY KEY,
    instance TEXT NOT NULL,
    symbol TEXT NOT NULL,
    entry_time_ms INTEGER NOT NULL,
    exit_time_ms INTEGER NOT NULL,
    entry_price REAL NOT NULL,
    exit_price REAL NOT NULL,
    amount REAL NOT NULL,
    pnl REAL NOT NULL,
    pnl_pct REAL NOT NULL,
    fees REAL NOT NULL,
    exit_reason TEXT NOT NULL,
    exit_client_order_id TEXT UNIQUE
  );
  CREATE INDEX trades_instance_exit ON trades (instance, exit_time_ms);

  CREATE TABLE equity (
    instance TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    equity_quote REAL NOT NULL,
    PRIMARY KEY (instance, time_ms)
  ) WITHOUT ROWID;

  -- Every risk review, accepted or not, with its reason.
  CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    instance TEXT NOT NULL,
    candle_time_ms INTEGER NOT NULL,
    intent TEXT NOT NULL,
    verdict TEXT NOT NULL,
    base_amount REAL,
    reason TEXT NOT NULL
  );
  CREATE INDEX decisions_instance_time ON decisions (instance, candle_time_ms);

  CREATE TABLE backtest_runs (
    id INTEGER PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    name TEXT NOT NULL,
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    timeframe TEXT NOT NULL,
    strategy TEXT NOT NULL,
    from_ms INTEGER NOT NULL,
    to_ms INTEGER NOT NULL,
    candles INTEGER NOT NULL,
    return_pct REAL,
    trades INTEGER NOT NULL,
    config TEXT NOT NULL,
    metrics TEXT NOT NULL
  );
  `,
  // 2: the shared request budget per exchange, one token bucket row per exchange.
  // Unlike other tables, every process on the host writes these rows: that is the point.
  `
  CREATE TABLE rate_budget (
    bucket TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    updated_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // 3: fees charged in the base currency (live Binance buyer fees), in base units; they are
  // valued inside fee_quote too. Older rows had none: 0.
  `
  ALTER TABLE orders ADD COLUMN fee_base_amount REAL NOT NULL DEFAULT 0;
  ALTER TABLE fills ADD COLUMN fee_base_amount REAL NOT NULL DEFAULT 0;
  `,
  // 4: candles packed again as columns, one BLOB per market and span of open times, rebuilt from
  // the candles rows by every candle write in the same transaction (storage/candle_chunk.ts).
  // Rows stored before have no chunk until written again; reads fall back to the rows there.
  `
  CREATE TABLE candle_chunks (
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    timeframe TEXT NOT NULL,
    start_ms INTEGER NOT NULL,  -- first open time the chunk covers, a multiple of span_ms
    span_ms INTEGER NOT NULL,   -- it holds the rows with start_ms <= open_time_ms < start_ms + span_ms
    count INTEGER NOT NULL,     -- rows in it
    data BLOB NOT NULL,         -- header, then six little-endian float64 columns
    PRIMARY KEY (exchange, symbol, timeframe, start_ms)
  );
  `,
  // 5: every combination `deno task optimize` evaluated, so `--resume` continues a run. run_key
  // hashes the run's inputs; stage is "full" or "foldN" (with "/rungN" for successive halving);
  // params are the combination's overrides; daily_equity holds little-endian float64 values.
  `
  CREATE TABLE optimize_trials (
    run_key TEXT NOT NULL,
    stage TEXT NOT NULL,
    params TEXT NOT NULL,
    metrics TEXT NOT NULL,
    daily_equity BLOB NOT NULL,
    PRIMARY KEY (run_key, stage, params)
  );
  `,
  // 6: which process runs each instance name, on which host, until when (storage/lease_repo.ts).
  // A second trader with the same name refuses to start while the lease is fresh.
  `
  CREATE TABLE instance_leases (
    name TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    token TEXT NOT NULL,
    lock_path TEXT NOT NULL,    -- the holder's lock file on its host, held while it runs
    acquired_ms INTEGER NOT NULL,
    renewed_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
  );
  `,
  // 7: notifications waiting for delivery, one row per event and channel, written in the
  // transaction of the change they report and deleted once delivered (storage/outbox_repo.ts);
  // notify_dropped counts rows dropped because an instance's outbox was full.
  `
  CREATE TABLE notify_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,           -- the event's stable id, the same on every attempt
    channel TEXT NOT NULL,      -- webhook, telegram, discord or slack
    instance TEXT NOT NULL,
    event TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    text TEXT NOT NULL,
    data TEXT NOT NULL,         -- JSON details
    attempts INTEGER NOT NULL,
    next_ms INTEGER NOT NULL,   -- not retried before this wall time
    last_error TEXT
  );
  CREATE UNIQUE INDEX notify_outbox_id ON notify_outbox (id, channel);
  CREATE INDEX notify_outbox_queue ON notify_outbox (instance, channel, seq);
  CREATE TABLE notify_dropped (
    instance TEXT PRIMARY KEY,
    dropped INTEGER NOT NULL
  );
  `,
  // 8: operator commands to running instances (deno task ctl, the dashboard with --control): who
  // asked what and when, and when the trader acknowledged it with what outcome
  // (storage/command_repo.ts).
  `
  CREATE TABLE instance_commands (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    instance TEXT NOT NULL,
    action TEXT NOT NULL,       -- pause, resume, stop or exit
    requested_by TEXT NOT NULL, -- user@host, or dashboard:user@host
    requested_ms INTEGER NOT NULL,
    acked_ms INTEGER,           -- null until the trader picked it up
    outcome TEXT                -- what the trader did
  );
  CREATE INDEX instance_commands_queue ON instance_commands (instance, acked_ms, id);
  `,
  // 9: ids of notifications that are queued once for good, even after delivery removed their
  // outbox rows: a heartbeat_stale episode noticed by several traders, a daily summary
  // (storage/outbox_repo.ts addOnce).
  `
  CREATE TABLE notify_once (
    id TEXT PRIMARY KEY,
    instance TEXT NOT NULL,     -- the instance that queued it
    time_ms INTEGER NOT NULL
  );
  `,
];

/** Schema version this build writes. A DB with a higher `user_version` is refused. */
export const SCHEMA_VERSION = MIGRATIONS.length;
