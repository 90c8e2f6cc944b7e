/**
 * Trader: the live loop shared by paper, live and replay, its trading state and its DB rows. It
 * receives ports: paper and live from the composition root in `src/app/`, replay from the engine
 * parts (`src/engine/`).
 */
export { Trader, type TraderMode, type TraderOptions } from "./trader.ts";
export {
  breakerRejection,
  type StatusView,
  type TradingState,
  type TradingStateKind,
  TradingStateMachine,
} from "./trading_state.ts";
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
export { FAILPOINT_NAMES, failpointFor, FAILPOINTS } from "./failpoint.ts";
export { EmulatorMarketClock, parseTestClock } from "./test_clock.ts";
export { untilStopped } from "./until_stopped.ts";
export type { Failpoint, FailpointName } from "../execution/failpoints.ts";
