/**
 * Orders on the account that this instance did not make: a person's order on the web or in the
 * app, or another program's, on the same account and symbol. Every order the exchange shows for
 * the symbol is compared with the instance's own rows (open orders, and the trades since the last
 * look), not only client ids without our prefix. A foreign order is never written to the DB and
 * never cancelled: it pauses new entries for the rest of the run, named in the status reason and
 * the last error. A restart looks again: at open orders, and at the trades since the last candle
 * the previous run handled.
 */
import {
  AuthenticationError,
  errorMessage,
  FinalExchangeError,
  TransientExchangeError,
} from "../core/errors.ts";
import type { ExecutionClient } from "../core/ports.ts";
import type { Fill, Order } from "../core/types.ts";
import type { Trader } from "./trader.ts";

/** How far each look reaches back before the previous one (the exchange's clock is not ours). */
const OVERLAP_MS = 5 * 60_000;

/** What one look needs besides the exchange. */
export interface ForeignOrderLook {
  readonly symbol: string;
  readonly nowMs: number;
  /** True when the client id is one of this instance's orders. */
  readonly isOurs: (clientOrderId: string) => boolean;
}

/** The foreign orders one instance has seen on its symbol during this run. */
export class ForeignOrderWatch {
  #sinceMs: number;
  readonly #found = new Map<string, string>();

  /** `sinceMs`: trades before it were looked at by an earlier run (or predate this instance). */
  constructor(sinceMs: number) {
    this.#sinceMs = sinceMs;
  }

  /** Each foreign order seen this run, described for the operator. */
  get found(): readonly string[] {
    return [...this.#found.values()];
  }

  /**
   * Looks at the symbol's open orders and the trades since the last look; returns the orders not
   * seen before. A transient exchange error propagates (the next look covers the same trades).
   */
  async look(
    venue: Pick<ExecutionClient, "openOrders" | "myFills">,
    look: ForeignOrderLook,
  ): Promise<string[]> {
    const open = await venue.openOrders(look.symbol);
    const fills = await venue.myFills(look.symbol, this.#sinceMs);
    const fresh: string[] = [];
    const note = (key: string, description: string) => {
      if (!this.#found.has(key)) fresh.push(description);
      this.#found.set(key, description);
    };
    for (const order of open) {
      if (!look.isOurs(order.clientOrderId)) note(keyOf(order.clientOrderId), describeOrder(order));
    }
    for (const [clientOrderId, traded] of byOrder(fills)) {
      const key = keyOf(clientOrderId);
      if (!look.isOurs(clientOrderId) && !this.#found.has(key)) {
        note(key, describeTrades(clientOrderId, traded));
      }
    }
    this.#sinceMs = Math.max(this.#sinceMs, look.nowMs - OVERLAP_MS);
    return fresh;
  }

  /** Why entries are paused, naming every foreign order seen; null when none was. */
  reason(symbol: string): string | null {
    const found = this.found;
    if (found.length === 0) return null;
    const what = found.length === 1 ? "an order" : `${found.length} orders`;
    return `${what} on ${symbol} not made by this instance: ${found.join("; ")}; ` +
      "left alone, new entries paused";
  }
}

/**
 * Looks for foreign orders and pauses new entries when there are any, or when the exchange
 * refuses to show them (e.g. a trade whose order it cannot find); returns the pause reason, or
 * null. Logs each order the first time it is seen. A transient error propagates.
 */
export async function pauseForForeignOrders(
  trader: Trader,
  watch: ForeignOrderWatch,
): Promise<string | null> {
  const { symbol, logger } = trader.options;
  let reason: string | null;
  try {
    const fresh = await look(trader, watch);
    for (const order of fresh) {
      logger.error("Order not made by this instance on {symbol}: {order}; left alone", {
        symbol,
        order,
      });
    }
    reason = watch.reason(symbol);
  } catch (error) {
    if (!(error instanceof FinalExchangeError) || error instanceof AuthenticationError) throw error;
    reason = `Cannot look for orders not made by this instance: ${error.message}; ` +
      "new entries paused";
    logger.error("{reason}", { reason });
  }
  if (reason !== null) {
    trader.pause(reason);
    // Kept as the manager's error too: the loop clears the trader's after each good candle.
    trader.manager.noteError(reason);
  }
  return reason;
}

function look(trader: Trader, watch: ForeignOrderWatch): Promise<string[]> {
  const { venue, symbol, store, name, clock } = trader.options;
  return watch.look(venue, {
    symbol,
    nowMs: clock.nowMs(),
    isOurs: (clientOrderId) => store.orders.findByClientId(clientOrderId)?.instance === name,
  });
}

/** After each candle (live): as `pauseForForeignOrders`; a transient error waits for the next. */
export async function watchForeignOrders(trader: Trader, watch: ForeignOrderWatch): Promise<void> {
  try {
    await pauseForForeignOrders(trader, watch);
  } catch (error) {
    if (!(error instanceof TransientExchangeError)) throw error;
    trader.noteError(errorMessage(error));
  }
}

function keyOf(clientOrderId: string): string {
  return clientOrderId === "" ? "(no client id)" : clientOrderId;
}

function describeOrder(order: Order): string {
  const price = order.price === null ? "" : ` at ${order.price}`;
  const filled = order.filledBaseAmount > 0 ? `, ${order.filledBaseAmount} filled` : "";
  const id = order.exchangeOrderId === null ? "" : ` (exchange id ${order.exchangeOrderId})`;
  return `${keyOf(order.clientOrderId)}${id} ${order.side} ${order.baseAmount} ` +
    `${order.type}${price}, ${order.status}${filled}`;
}

function describeTrades(clientOrderId: string, fills: readonly Fill[]): string {
  const baseAmount = fills.reduce((sum, fill) => sum + fill.baseAmount, 0);
  const quoteAmount = fills.reduce((sum, fill) => sum + fill.baseAmount * fill.price, 0);
  const side = fills[0].side;
  return `${keyOf(clientOrderId)} ${side} ${roundAmount(baseAmount)} traded ` +
    `(${fills.length} trade${fills.length === 1 ? "" : "s"} at ${
      roundAmount(quoteAmount / baseAmount)
    } on average)`;
}

function byOrder(fills: readonly Fill[]): Map<string, Fill[]> {
  const groups = new Map<string, Fill[]>();
  for (const fill of fills) {
    const group = groups.get(fill.clientOrderId);
    if (group === undefined) groups.set(fill.clientOrderId, [fill]);
    else group.push(fill);
  }
  return groups;
}

function roundAmount(value: number): number {
  return Number(value.toPrecision(10));
}
