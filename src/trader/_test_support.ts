/** Helpers for trader tests: a temp DB with bundled candles, configs and a quiet logger. */
import { loadInstanceConfig } from "../config/mod.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { CandleRow, MarketRef } from "../core/types.ts";
import type { ManagerLogger } from "../execution/order_manager.ts";
import { openStore, type Store } from "../storage/mod.ts";

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

/** A fresh store in a temp directory; `dispose` removes it. */
export async function tempStore(): Promise<
  { store: Store; dir: string; url: string; dispose(): Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "trader_test_" });
  const url = `sqlite:${dir}/trading.db`;
  const store = openStore(url);
  return {
    store,
    dir,
    url,
    async dispose() {
      store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Imports `data/samples/<file>` into the store for `market`. */
export function importSample(store: Store, market: MarketRef, file: string): number {
  const text = Deno.readTextFileSync(new URL(`data/samples/${file}`, ROOT));
  const rows: CandleRow[] = [];
  for (const line of text.split("\n").slice(1)) {
    if (line.trim() === "") continue;
    rows.push(line.split(",").map(Number) as CandleRow);
  }
  store.candles.upsert(market, rows);
  return rows.length;
}

/** A bundled config with `--set` style overrides. */
export function bundledConfig(file: string, overrides: string[] = []): Promise<InstanceConfig> {
  return loadInstanceConfig(new URL(`config/strategies/${file}`, ROOT).pathname, { overrides });
}
