/** `markets`: cached precision, limits and fees per exchange and symbol. */
import type { SqlDatabase, SqlStatement } from "./sql_database.ts";
import { snakeParams, upsertSql } from "./_statements.ts";
import { writeTransaction } from "./write_transaction.ts";
import type { MarketRecord } from "../core/types.ts";

export type { MarketRecord };

const COLUMNS = [
  "exchange",
  "symbol",
  "base",
  "quote",
  "active",
  "amount_step",
  "price_step",
  "min_amount",
  "min_notional",
  "maker_fee",
  "taker_fee",
  "timeframes",
  "raw",
  "fetched_ms",
];

interface MarketRow {
  exchange: string;
  symbol: string;
  base: string;
  quote: string;
  active: number;
  amount_step: number | null;
  price_step: number | null;
  min_amount: number | null;
  min_notional: number | null;
  maker_fee: number | null;
  taker_fee: number | null;
  timeframes: string | null;
  raw: string;
  fetched_ms: number;
}

function fromRow(row: MarketRow): MarketRecord {
  return {
    exchange: row.exchange,
    symbol: row.symbol,
    base: row.base,
    quote: row.quote,
    active: row.active === 1,
    amountStep: row.amount_step,
    priceStep: row.price_step,
    minAmount: row.min_amount,
    minNotional: row.min_notional,
    makerFee: row.maker_fee,
    takerFee: row.taker_fee,
    timeframes: row.timeframes === null ? null : JSON.parse(row.timeframes),
    raw: JSON.parse(row.raw),
    fetchedMs: row.fetched_ms,
  };
}

/** Reads and writes the markets cache. */
export class MarketRepo {
  #db: SqlDatabase;
  #upsert: SqlStatement;
  #get: SqlStatement;
  #list: SqlStatement;

  constructor(db: SqlDatabase) {
    this.#db = db;
    this.#upsert = db.prepare(upsertSql("markets", COLUMNS, ["exchange", "symbol"]));
    this.#get = db.prepare("SELECT * FROM markets WHERE exchange = ? AND symbol = ?");
    this.#list = db.prepare("SELECT * FROM markets WHERE exchange = ? ORDER BY symbol");
  }

  /** Stores (replacing) markets of one fetch in one transaction. */
  upsert(markets: readonly MarketRecord[]): void {
    writeTransaction(this.#db, () => {
      for (const market of markets) {
        this.#upsert.run(snakeParams({
          ...market,
          timeframes: market.timeframes === null ? null : JSON.stringify(market.timeframes),
          raw: JSON.stringify(market.raw ?? null),
        }));
      }
    });
  }

  /** The cached market, or null. */
  get(exchange: string, symbol: string): MarketRecord | null {
    const row = this.#get.get(exchange, symbol) as MarketRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Every cached market of an exchange, by symbol. */
  list(exchange: string): MarketRecord[] {
    return (this.#list.all(exchange) as unknown as MarketRow[]).map(fromRow);
  }
}
