/** Execution: the simulated venue (fill model, fees, slippage, latency). */
export {
  gapsThrough,
  marketFillPrice,
  sellLimitFillPrice,
  sellStopFillPrice,
} from "./fill_model.ts";
export {
  type SimOrderRequest,
  SimulatedVenueCore,
  type SimulatedVenueOptions,
  type SimulatedVenueSnapshot,
} from "./simulated_venue_core.ts";
export { SimulatedVenue } from "./simulated_venue.ts";
