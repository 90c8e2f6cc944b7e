/** Trader: the live loop shared by paper, live and replay, with its order manager and state. */
export { Trader, type TraderMode, type TraderOptions } from "./trader.ts";
export {
  LIVE_RECONCILE_WINDOW_MS,
  type OpenedTrader,
  openTrader,
  type OpenTraderOptions,
} from "./open_trader.ts";
export { runTrader, type RunTraderOptions } from "./run_trader.ts";
export {
  serializer,
  type TickerCheck,
  type TickerPrice,
  watchTicker,
  type WatchTickerOptions,
} from "./ticker_watch.ts";
export { type ReplayOptions, type ReplayResult, runReplay } from "./replay.ts";
export { reconcileTrader, type TraderReconcileOptions } from "./trader_reconcile.ts";
export { clientIdPrefix, parseTraderState, type TraderState } from "./trader_state.ts";
export { FAILPOINT_NAMES, failpointFor } from "./failpoint.ts";
export { EmulatorMarketClock, parseTestClock } from "./test_clock.ts";
export { untilStopped } from "./until_stopped.ts";
export {
  type Failpoint,
  type FailpointName,
  OrderManager,
  type OrderManagerOptions,
} from "../execution/order_manager.ts";
export { LiveVenue, type LiveVenueOptions } from "../execution/live_venue.ts";
export { balanceMismatch, reconcileOrders } from "../execution/reconcile.ts";
