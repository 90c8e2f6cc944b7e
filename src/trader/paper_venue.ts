/** Paper mode's simulated venue, rebuilt after a restart from the kernel snapshot and the DB. */
import type { EngineSnapshot } from "../core/engine_types.ts";
import { SimulatedExchange } from "../execution/simulated_exchange.ts";
import { SimulatedVenue } from "../execution/simulated_venue.ts";
import type { OrderRecord } from "../storage/order_repo.ts";

/**
 * A simulated venue holding what the last run's venue held: the booked balances (the simulated
 * account and the kernel book the same fills) and every order whose row says the venue accepted
 * it (`open`, `partially_filled`). A `submitting` row was never acknowledged, so the rebuilt venue
 * does not know it and reconciliation fails it, as an exchange would.
 */
export function restoreSimulatedVenue(
  fresh: SimulatedExchange,
  snapshot: EngineSnapshot | null,
  rows: readonly OrderRecord[],
): SimulatedVenue {
  if (snapshot === null) return new SimulatedVenue(fresh);
  const core = new SimulatedExchange({
    ...fresh.options,
    quoteBalance: snapshot.quoteFree,
    baseBalance: snapshot.baseFree,
  });
  const accepted = new Set(
    rows.filter((row) => row.status === "open" || row.status === "partially_filled")
      .map((row) => row.clientOrderId),
  );
  for (const tracked of snapshot.openOrders) {
    if (accepted.has(tracked.order.clientOrderId)) core.submit(tracked.order);
  }
  return new SimulatedVenue(core);
}
