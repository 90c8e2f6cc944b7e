/** The offline demo's replay step: a paced live-loop replay a dashboard can watch. */
export {
  demoInstanceName,
  type DemoReplayOptions,
  type DemoReplayResult,
  runDemoReplay,
} from "./demo_replay.ts";
export { COMPARISON_HEADER, comparisonCells, formatComparisonTable } from "./comparison_table.ts";
