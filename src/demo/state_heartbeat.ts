/**
 * A heartbeat for a replaying instance, built from the state its trader persisted after the last
 * candle: `runReplay` beats only every 500 candles, too rarely for a dashboard watching a paced
 * replay, and does not hand its trader to `afterCandle`.
 */
import type { Store } from "../storage/mod.ts";
import { parseTraderState } from "../trader/trader_state.ts";

/** Writes `name`'s heartbeat at `nowMs` with the equity, position and signal of its saved state. */
export function heartbeatFromState(store: Store, name: string, nowMs: number): void {
  const row = store.instances.get(name);
  const state = parseTraderState(row?.state, row?.mode ?? "replay");
  if (state === null) {
    store.instances.heartbeat(name, nowMs);
    return;
  }
  const { kernel } = state;
  store.instances.heartbeat(name, nowMs, {
    equityQuote: kernel.equityQuote,
    quoteBalance: kernel.quoteFree,
    positionBase: kernel.position?.baseAmount ?? 0,
    entryPrice: kernel.position?.entryPrice ?? null,
    lastPrice: state.lastPrice,
    realizedPnlQuote: state.realizedPnlQuote,
    lastSignal: state.lastSignal,
    lastSignalMs: state.lastSignalMs,
    openOrders: kernel.openOrders.length,
  });
}
