/** Paper mode after a restart: the simulated exchange holds again what it held before. */
import type { EngineSnapshot } from "../core/engine_types.ts";
import type { OrderRecord } from "../storage/order_repo.ts";
import type { SimulatedExchange } from "./simulated_exchange.ts";

/**
 * Puts into `exchange` what the last run's exchange held: the booked balances (the simulated
 * account and the kernel book the same fills) and every order whose row says the exchange
 * accepted it (`open`, `partially_filled`). A `submitting` row was never acknowledged, so the
 * resumed exchange does not know it and reconciliation fails it, as a real exchange would.
 */
export function resumeSimulatedExchange(
  exchange: SimulatedExchange,
  snapshot: EngineSnapshot,
  rows: readonly OrderRecord[],
): void {
  exchange.restore({
    quote: snapshot.quoteFree,
    base: snapshot.baseFree,
    bar: 0,
    timeMs: 0,
    orders: [],
    pending: [],
    resting: [],
  });
  const accepted = new Set(
    rows.filter((row) => row.status === "open" || row.status === "partially_filled")
      .map((row) => row.clientOrderId),
  );
  for (const tracked of snapshot.openOrders) {
    if (accepted.has(tracked.order.clientOrderId)) exchange.submit(tracked.order);
  }
}
