/** Ports: the interfaces that adapters implement. Only `tasks/` picks concrete adapters. */
import type {
  Balances,
  Candle,
  Fill,
  Order,
  OrderIntent,
  OrderRequest,
  Position,
  RiskDecision,
} from "./types.ts";

/** Time source. Backtest and replay use candle time; paper and live use the wall clock. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  nowMs(): number;
  /** Resolves at `timeMs` (or at once if past); rejects with the signal's reason if aborted. */
  sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void>;
}

/** Source of closed candles, oldest first. */
export interface MarketDataFeed {
  /** Closed candles with `openTimeMs >= sinceMs`, then new ones as they close, until aborted. */
  candles(sinceMs: number, signal?: AbortSignal): AsyncIterable<Candle>;
}

/** Where orders go: the simulated venue or a real exchange through CCXT. */
export interface ExecutionVenue {
  submit(request: OrderRequest): Promise<Order>;
  cancel(clientOrderId: string, symbol: string): Promise<Order | null>;
  /** The order with this client id, or null when the venue does not know it. */
  fetchOrder(clientOrderId: string, symbol: string): Promise<Order | null>;
  openOrders(symbol: string): Promise<Order[]>;
  balances(symbol: string): Promise<Balances>;
  myFills(symbol: string, sinceMs: number): Promise<Fill[]>;
}

/** What a strategy may see: its own position and the time. It cannot reach a venue. */
export interface StrategyContext {
  readonly position: Position | null;
  /** Close time of the candle being handled (open time + timeframe). */
  readonly closeTimeMs: number;
  /**
   * The last closed candle of each extra timeframe the strategy declared, built from the base
   * candles; null until one has closed. Absent when it declared none.
   */
  readonly higher?: Readonly<Record<string, Candle | null>>;
}

/** A trading strategy instance, built from validated params. Sees only closed candles. */
export interface Strategy {
  readonly name: string;
  /** Candles needed before the first intent can be meaningful. */
  readonly warmupCandles: number;
  onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[];
}

/** Facts the risk policy reviews an intent against. */
export interface RiskContext {
  readonly intent: OrderIntent;
  readonly price: number;
  readonly balances: Balances;
  readonly position: Position | null;
  readonly equityQuote: number;
  readonly peakEquityQuote: number;
  readonly dayStartEquityQuote: number;
  readonly openPositions: number;
}

/** Reviews every intent before it becomes an order. */
export interface RiskPolicy {
  review(context: RiskContext): RiskDecision;
}
