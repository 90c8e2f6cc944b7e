/** Storage: the shared SQLite database, its migrations and one repository per table group. */
export { openDatabase, type OpenDatabaseOptions } from "./database.ts";
export { type DatabaseLocation, DEFAULT_DATABASE_URL, parseDatabaseUrl } from "./database_url.ts";
export { writeTransaction } from "./write_transaction.ts";
export { migrate, schemaVersion } from "./migrate.ts";
export { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
export { createStore, openStore, type Store } from "./store.ts";
export * from "./candle_repo.ts";
export * from "./gap_repo.ts";
export * from "./market_repo.ts";
export * from "./instance_repo.ts";
export * from "./order_repo.ts";
export * from "./fill_repo.ts";
export * from "./trade_repo.ts";
export * from "./equity_repo.ts";
export * from "./decision_repo.ts";
export * from "./backtest_run_repo.ts";
export * from "./rate_budget_repo.ts";
export * from "./lease_repo.ts";
