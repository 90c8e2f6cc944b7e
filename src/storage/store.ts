/** The `Store`: every repository over one database connection. Callers never see SQL. */
import type { SqlDatabase } from "./sql_database.ts";
import { openDatabase, type OpenDatabaseOptions } from "./database.ts";
import { writeTransaction } from "./write_transaction.ts";
import { CandleRepo } from "./candle_repo.ts";
import { GapRepo } from "./gap_repo.ts";
import { MarketRepo } from "./market_repo.ts";
import { InstanceRepo } from "./instance_repo.ts";
import { OrderRepo } from "./order_repo.ts";
import { FillRepo } from "./fill_repo.ts";
import { TradeRepo } from "./trade_repo.ts";
import { EquityRepo } from "./equity_repo.ts";
import { DecisionRepo } from "./decision_repo.ts";
import { BacktestRunRepo } from "./backtest_run_repo.ts";
import { RateBudgetRepo } from "./rate_budget_repo.ts";
import { LeaseRepo } from "./lease_repo.ts";
import { OutboxRepo } from "./outbox_repo.ts";
import { CommandRepo } from "./command_repo.ts";
import { forgetInstance } from "./forget_instance.ts";

/** Repositories bundled over one connection. */
export interface Store {
  readonly candles: CandleRepo;
  readonly gaps: GapRepo;
  readonly markets: MarketRepo;
  readonly instances: InstanceRepo;
  readonly orders: OrderRepo;
  readonly fills: FillRepo;
  readonly trades: TradeRepo;
  readonly equity: EquityRepo;
  readonly decisions: DecisionRepo;
  readonly backtestRuns: BacktestRunRepo;
  /** Request budgets shared by every process on the host (`createExchange`'s `rateBudget.store`). */
  readonly rateBudget: RateBudgetRepo;
  /** Which process runs each instance name, across every host sharing the database. */
  readonly leases: LeaseRepo;
  /** Notifications waiting for delivery (`src/notify/`). */
  readonly outbox: OutboxRepo;
  /** Operator commands to running instances and their acknowledgements (`src/control/`). */
  readonly commands: CommandRepo;
  /** Runs `fn` in one `BEGIN IMMEDIATE` transaction; repo calls inside join it. */
  transaction<T>(fn: () => T): T;
  /** Deletes every row an instance wrote (throw-away instances only); returns rows deleted. */
  forgetInstance(name: string): number;
  /** Closes the connection. */
  close(): void;
}

/** Builds the repositories over an open connection. */
export function createStore(db: SqlDatabase): Store {
  return {
    candles: new CandleRepo(db),
    gaps: new GapRepo(db),
    markets: new MarketRepo(db),
    instances: new InstanceRepo(db),
    orders: new OrderRepo(db),
    fills: new FillRepo(db),
    trades: new TradeRepo(db),
    equity: new EquityRepo(db),
    decisions: new DecisionRepo(db),
    backtestRuns: new BacktestRunRepo(db),
    rateBudget: new RateBudgetRepo(db),
    leases: new LeaseRepo(db),
    outbox: new OutboxRepo(db),
    commands: new CommandRepo(db),
    transaction: (fn) => writeTransaction(db, fn),
    forgetInstance: (name) => forgetInstance(db, name),
    close: () => {
      if (db.isOpen) db.close();
    },
  };
}

/** Opens `DATABASE_URL` (migrating it unless read-only) and returns the store. */
export function openStore(url: string, options: OpenDatabaseOptions = {}): Store {
  return createStore(openDatabase(url, options));
}
