/**
 * Trader: the live loop shared by paper, live and replay, with its state. Built from ports by a
 * composition root (`src/app/open_trader.ts`), except replay, which takes the engine parts' venue.
 */
export { Trader, type TraderMode, type TraderOptions } from "./trader.ts";
export { LIVE_RECONCILE_WINDOW_MS, startTrader, type StartTraderOptions } from "./start_trader.ts";
export { runTrader, type RunTraderOptions } from "./run_trader.ts";
export {
  serializer,
  type TickerCheck,
  type TickerPrice,
  watchTicker,
  type WatchTickerOptions,
} from "./ticker_watch.ts";
export { type ReplayOptions, type ReplayResult, runReplay } from "./replay.ts";
export {
  type LiveOrders,
  reconcileTrader,
  type TraderReconcileOptions,
} from "./trader_reconcile.ts";
export { clientIdPrefix, parseTraderState, type TraderState } from "./trader_state.ts";
export { registerInstance } from "./instance_row.ts";
export { FAILPOINT_NAMES, failpointFor } from "./failpoint.ts";
export { EmulatorMarketClock, parseTestClock } from "./test_clock.ts";
export { untilStopped } from "./until_stopped.ts";
export type { Failpoint, FailpointName } from "../execution/order_manager.ts";
