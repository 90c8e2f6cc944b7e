/** Helpers for trader tests: bundled candles and configs, and a logger that keeps lines. */
import { loadInstanceConfig } from "../../src/config/mod.ts";
import type { InstanceConfig } from "../../src/config/instance_config_schema.ts";
import type { MarketRef } from "../../src/core/types.ts";
import type { ManagerLogger } from "../../src/execution/order_manager.ts";
import type { Store } from "../../src/storage/mod.ts";
import { sampleRows } from "./sample_candles.ts";

const ROOT = new URL("../../", import.meta.url);

/** A logger that keeps lines, for assertions. */
export class MemoryLogger implements ManagerLogger {
  readonly lines: string[] = [];
  info(message: string) {
    this.lines.push(`info ${message}`);
  }
  warn(message: string) {
    this.lines.push(`warn ${message}`);
  }
  error(message: string) {
    this.lines.push(`error ${message}`);
  }
}

/** Imports `data/samples/<file>` into the store for `market`. */
export function importSample(store: Store, market: MarketRef, file: string): number {
  const rows = sampleRows(file);
  store.candles.upsert(market, rows);
  return rows.length;
}

/** A bundled config with `--set` style overrides. */
export function bundledConfig(file: string, overrides: string[] = []): Promise<InstanceConfig> {
  return loadInstanceConfig(new URL(`config/strategies/${file}`, ROOT).pathname, { overrides });
}
