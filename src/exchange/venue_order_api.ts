/**
 * How each exchange's private order API differs under CCXT's unified calls: how an order is named
 * by our client id in a lookup or cancel, and how far back and how many of our trades one
 * `fetchMyTrades` request returns.
 */

import type { Exchange, Order as CcxtOrder } from "ccxt";

/** Per-exchange shape of the order and trade lookups. */
export interface VenueOrderApi {
  /**
   * Finds an order by our client id where CCXT's `fetchOrder` cannot; null when the exchange
   * does not know it. Absent: `fetchOrder` with `byClientId`.
   */
  readonly findByClientId?: (
    ex: Exchange,
    symbol: string,
    clientOrderId: string,
  ) => Promise<CcxtOrder | null>;
  /** CCXT params that make a `market` create a stop at `triggerPrice`; absent: `{ triggerPrice }`. */
  readonly stopParams?: (triggerPrice: number) => Record<string, unknown>;
  /** CCXT params that name an order by our client id in `fetchOrder` and `cancelOrder`. */
  byClientId(clientOrderId: string): Record<string, unknown>;
  /** True when a cancel must name the exchange's order id (found by our client id first). */
  readonly cancelByOrderId?: boolean;
  /** Extra cancel params for a stop (trigger) order, which the exchange keeps apart. */
  readonly stopCancelParams?: Record<string, unknown>;
  /** True when a market buy is sent as the quote amount to spend (`cost`). */
  readonly marketBuyByCost?: boolean;
  /** Params of `fetchBalance`. */
  readonly balanceParams?: Record<string, unknown>;
  /** Trades one `fetchMyTrades` returns at most. */
  readonly tradesPageLimit: number;
  /** Longest `since`…`until` span one `fetchMyTrades` covers; null: unlimited. */
  readonly tradesWindowMs: number | null;
  /**
   * True when the trade list answers the newest `tradesPageLimit` trades after `since` first and
   * pages on with `ofs` (an offset into that list), over all pairs.
   */
  readonly tradesNewestFirstByOffset?: boolean;
}

const DEFAULT: VenueOrderApi = {
  byClientId: (clientOrderId) => ({ clientOrderId }),
  tradesPageLimit: 1000,
  tradesWindowMs: null,
};

const APIS: Readonly<Record<string, VenueOrderApi>> = {
  // Bybit v5 names our id `orderLinkId`; CCXT passes `clientOrderId` through unrenamed on lookups.
  // CCXT's `fetchOrder` without an order id fails on an unknown order (it formats the missing id),
  // so a lookup asks the realtime list (open orders and the latest 500 closed ones) and then the
  // order history. A spot cancel names conditional orders (our stops) as `orderFilter=StopOrder`,
  // else Bybit does not find them. The execution list returns at most 100 rows and spans at most
  // 7 days.
  bybit: {
    byClientId: (clientOrderId) => ({ orderLinkId: clientOrderId }),
    stopCancelParams: { trigger: true },
    findByClientId: async (ex, symbol, clientOrderId) => {
      const named = { orderLinkId: clientOrderId };
      const recent = await ex.fetchOpenOrders(symbol, undefined, undefined, named);
      if (recent.length > 0) return recent[0];
      const history = await (ex as Exchange & {
        fetchCanceledAndClosedOrders(
          symbol: string,
          since?: number,
          limit?: number,
          params?: Record<string, unknown>,
        ): Promise<CcxtOrder[]>;
      }).fetchCanceledAndClosedOrders(symbol, undefined, undefined, named);
      return history[0] ?? null;
    },
    tradesPageLimit: 100,
    tradesWindowMs: 7 * 86_400_000,
  },
  // Kraken's QueryOrders needs the order's txid (CCXT sends our id as `userref`, an integer
  // there): our `cl_ord_id` is looked up in the open orders, then in the closed ones.
  // CCXT's kraken class ignores `triggerPrice`, which would go out as an unknown argument of a
  // plain market order; `stopLossPrice` makes it `ordertype=stop-loss` with the trigger as price.
  // TradesHistory answers the newest 50 trades after `start` (all pairs), then the next 50 at `ofs`.
  kraken: {
    stopParams: (triggerPrice) => ({ stopLossPrice: triggerPrice }),
    byClientId: (clientOrderId) => ({ clientOrderId }),
    findByClientId: async (ex, symbol, clientOrderId) => {
      const named = { clientOrderId };
      const open = await ex.fetchOpenOrders(symbol, undefined, undefined, named);
      const mine = (o: CcxtOrder) => o.clientOrderId === clientOrderId;
      const found = open.find(mine);
      if (found) return found;
      const closed = await ex.fetchClosedOrders(symbol, undefined, undefined, named);
      return closed.find(mine) ?? null;
    },
    tradesPageLimit: 50,
    tradesWindowMs: null,
    tradesNewestFirstByOffset: true,
  },
  // Coinbase Advanced Trade finds one order by its own id only, cancels by its own ids only, and
  // CCXT prices a market buy as the quote to spend. CCXT's default balance is the v2 wallet list,
  // which counts funds held by open orders as free; the v3 brokerage accounts split them.
  coinbase: {
    byClientId: (clientOrderId) => ({ clientOrderId }),
    findByClientId: findInOrderList,
    cancelByOrderId: true,
    marketBuyByCost: true,
    balanceParams: { v3: true },
    tradesPageLimit: 1000,
    tradesWindowMs: null,
  },
};

/** An exchange whose order list is the only lookup by client id: the latest 1,000 orders. */
async function findInOrderList(
  ex: Exchange,
  symbol: string,
  clientOrderId: string,
): Promise<CcxtOrder | null> {
  const orders = await ex.fetchOrders(symbol, undefined, 1000);
  return orders.find((o) => o.clientOrderId === clientOrderId) ?? null;
}

/** The order API shape of CCXT exchange `id`. */
export function venueOrderApi(id: string): VenueOrderApi {
  return APIS[id] ?? DEFAULT;
}
