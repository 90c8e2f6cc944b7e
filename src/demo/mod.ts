/** The offline demo: where each example runs, its comparison table and a paced live replay. */
export {
  demoInstanceName,
  type DemoReplayOptions,
  type DemoReplayResult,
  runDemoReplay,
} from "./demo_replay.ts";
export { COMPARISON_HEADER, comparisonCells, formatComparisonTable } from "./comparison_table.ts";
export {
  chooseDemoMarket,
  type DemoMarket,
  demoMarketFootnote,
  type DemoPlan,
  planDemoMarkets,
  STAND_IN_MARKET,
  type TimedMarket,
} from "./demo_market.ts";
