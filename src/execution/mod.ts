/**
 * Execution: the simulated exchange (fill model, fees, slippage, latency), the venues the order
 * manager sends through (simulated and live), and the order manager with its reconciliation.
 */
export {
  gapsThrough,
  marketFillPrice,
  sellLimitFillPrice,
  sellStopFillPrice,
} from "./fill_model.ts";
export {
  type SimOrderRequest,
  SimulatedExchange,
  type SimulatedExchangeOptions,
  type SimulatedExchangeSnapshot,
} from "./simulated_exchange.ts";
export { SimulatedVenue } from "./simulated_venue.ts";
export { LiveVenue, type LiveVenueOptions } from "./live_venue.ts";
export { type ManagerLogger, OrderManager, type OrderManagerOptions } from "./order_manager.ts";
export {
  type Failpoint,
  FAILPOINT_NAMES,
  type FailpointName,
  FAILPOINTS,
  orderFailpoint,
} from "./failpoints.ts";
export { balanceMismatch, type BalanceTolerance, reconcileOrders } from "./reconcile.ts";
