/**
 * Ports: the interfaces that adapters implement. Only the composition roots in `src/app/` (which
 * only `tasks/` calls) pick concrete adapters.
 */
import type { EngineOrder } from "./engine_types.ts";
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

/**
 * The order API of one exchange account: a real exchange through CCXT (`CcxtExecutionClient`),
 * or the simulated exchange behind `SimulatedVenue`.
 */
export interface ExecutionClient {
  submit(request: OrderRequest): Promise<Order>;
  cancel(clientOrderId: string, symbol: string): Promise<Order | null>;
  /** The order with this client id, or null when the exchange does not know it. */
  fetchOrder(clientOrderId: string, symbol: string): Promise<Order | null>;
  openOrders(symbol: string): Promise<Order[]>;
  balances(symbol: string): Promise<Balances>;
  myFills(symbol: string, sinceMs: number): Promise<Fill[]>;
}

/**
 * Where the kernel's orders go in paper, live and replay: an execution client that the engine
 * driver also steps candle by candle. `SimulatedVenue` fills orders with the backtest's fill model;
 * `LiveVenue` polls the exchange and triggers the protective orders it holds itself; the order
 * manager stands in front of either and writes each order before it is sent.
 */
export interface Venue extends ExecutionClient {
  /** Accepts one of the kernel's orders (a market buy may carry its quote budget). */
  submit(order: EngineOrder): Promise<Order>;
  /** Fills market orders due at the candle's open (simulated), or polls open orders (live). */
  openBar(candle: Candle): Promise<readonly Order[]>;
  /** Triggers resting stops and take-profits inside the candle; returns the orders that changed. */
  rangeBar(candle: Candle): Promise<readonly Order[]>;
  /** Fills every pending market order at the candle's close (end of a run). */
  settle(candle: Candle): Promise<readonly Order[]>;
  /**
   * A ticker price between closes (`trade.stop_check: ticker`): sells at market, under its own
   * client id, the protective order the price crossed; returns the orders that changed.
   */
  priceTick(price: number, timeMs: number): Promise<readonly Order[]>;
}

/** The synchronous twin of `Venue` that the backtest steps without awaiting: `SimulatedExchange`. */
export interface SyncVenue {
  /**
   * Optional fast path: moves to the bar and returns true when `openBar` and `rangeBar` would
   * change nothing (no order pending or resting); they are then not called for this bar.
   */
  idleBar?(candle: Candle): boolean;
  /**
   * Optional: `idleBar` for `count` bars in a row, the last opening at `openTimeMs`, in one call;
   * false (nothing changed) when an order is pending or resting.
   */
  idleBars?(count: number, openTimeMs: number): boolean;
  /** Fills market orders due at the bar's open; returns the orders that changed. */
  openBar(candle: Candle): readonly Order[];
  /** Triggers resting orders inside the bar; returns the orders that changed. */
  rangeBar(candle: Candle): readonly Order[];
  /** Fills every pending market order at the bar's close (end of a run). */
  settle(candle: Candle): readonly Order[];
  submit(order: EngineOrder): Order;
  cancel(clientOrderId: string): Order | null;
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
