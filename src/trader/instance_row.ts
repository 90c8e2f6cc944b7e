/** The instance row a trader owns: written at start with status `starting`, keeping its state. */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { Store } from "../storage/store.ts";

/** Upserts the instance row for this run and returns the state stored by the previous run. */
export function registerInstance(
  store: Store,
  config: InstanceConfig,
  options: { name: string; mode: string; nowMs: number; pid: number | null; keepState: boolean },
): unknown {
  return store.transaction(() => {
    const previous = store.instances.get(options.name);
    const state = options.keepState ? previous?.state ?? null : null;
    store.instances.upsert({
      name: options.name,
      exchange: config.exchange,
      symbol: config.symbol,
      timeframe: config.timeframe,
      strategy: config.strategy.name,
      mode: options.mode,
      status: "starting",
      statusReason: null,
      pid: options.pid,
      startedMs: options.nowMs,
      heartbeatMs: options.nowMs,
      equityQuote: previous?.equityQuote ?? null,
      quoteBalance: previous?.quoteBalance ?? null,
      positionBase: previous?.positionBase ?? 0,
      entryPrice: previous?.entryPrice ?? null,
      lastPrice: previous?.lastPrice ?? null,
      realizedPnlQuote: options.keepState ? previous?.realizedPnlQuote ?? 0 : 0,
      lastSignal: previous?.lastSignal ?? null,
      lastSignalMs: previous?.lastSignalMs ?? null,
      openOrders: previous?.openOrders ?? 0,
      lastError: null,
      state,
      config,
    });
    return state;
  });
}
