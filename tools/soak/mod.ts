/** The soak (`deno task soak`) and the helpers the kill campaign shares. */
export { runSoak, type SoakOptions } from "./run_soak.ts";
export type { SoakRun } from "./soak_verdict.ts";
export { soakTable } from "./soak_report.ts";
export { dropSoakSchema, isPostgresUrl, soakDatabaseUrl, soakSchema } from "./soak_database.ts";
export { seededRandom } from "../../src/core/seeded_random.ts";
export { zigzagCsv } from "./synthetic_candles.ts";
export { LIVE_CONFIG_BODY, liveConfig } from "./soak_configs.ts";
export { signalTask, spawnTask, stopTask, type TaskProcess } from "./processes.ts";
