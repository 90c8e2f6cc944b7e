/** `ExecutionClient` of a real exchange through CCXT: client ids, limits first, no blind resends. */
import ccxt, { type Order as CcxtOrder, type Trade } from "ccxt";
import {
  AuthenticationError,
  ClockSkewError,
  FinalExchangeError,
  OrderRejectedError,
  TransientExchangeError,
} from "../core/errors.ts";
import type { Clock, ExecutionClient } from "../core/ports.ts";
import type { Balances, Fill, Order, OrderRequest } from "../core/types.ts";
import { isValidClientOrderId } from "../core/client_order_id.ts";
import { clientIdParams } from "./client_id_params.ts";
import { isAmbiguousCreateFailure } from "./error_policy.ts";
import type { ExchangeClient } from "./exchange_client.ts";
import type { MarketCatalog } from "./market_catalog.ts";
import { looksLikeOrder, toFill, toOrder } from "./order_mapping.ts";
import { prepareOrder } from "./order_preparation.ts";
import { type VenueOrderApi, venueOrderApi } from "./venue_order_api.ts";
import { backoffMs } from "./with_retry.ts";

/** Settings of a `CcxtExecutionClient`. */
export interface CcxtExecutionClientOptions {
  readonly clock: Clock;
  /** Last known price, to value market orders against the minimum notional without a request. */
  readonly lastPrice?: (symbol: string) => number | null;
  /** Sends of one order refused before matching (429, 418, -1021) before giving up (default 3). */
  readonly maxSendAttempts?: number;
  /** Kill tests' hook: a create got no answer, its client id not yet looked up. */
  readonly unconfirmed?: () => void;
}

/** The exchange account's order API: every private call is signed by the client's credentials. */
export class CcxtExecutionClient implements ExecutionClient {
  readonly #client: ExchangeClient;
  readonly #catalog: MarketCatalog;
  readonly #options: CcxtExecutionClientOptions;
  readonly #clientIds = new Map<string, string>();
  readonly #api: VenueOrderApi;

  constructor(
    client: ExchangeClient,
    catalog: MarketCatalog,
    options: CcxtExecutionClientOptions,
  ) {
    this.#client = client;
    this.#catalog = catalog;
    this.#options = options;
    this.#api = venueOrderApi(client.id);
  }

  #context(symbol: string, clientOrderId: string) {
    const m = this.#catalog.market(symbol);
    return {
      base: m.base,
      quote: m.quote,
      symbol,
      clientOrderId,
      nowMs: this.#options.clock.nowMs(),
    };
  }

  #order(o: CcxtOrder, symbol: string, clientOrderId: string): Order {
    if (o.id) this.#clientIds.set(o.id, o.clientOrderId ?? clientOrderId);
    return toOrder(o, this.#context(symbol, clientOrderId));
  }

  /** Rounds, checks limits, sends once; an unconfirmed send is resolved by looking its client id up. */
  async submit(request: OrderRequest): Promise<Order> {
    const cid = request.clientOrderId;
    if (!isValidClientOrderId(this.#client.id, cid)) {
      throw new OrderRejectedError(
        `Cannot submit order ${cid}: not a valid client order id on ${this.#client.id}`,
      );
    }
    const market = this.#catalog.market(request.symbol);
    const reference = request.price ?? this.#options.lastPrice?.(request.symbol) ??
      await this.#tickerPrice(request.symbol);
    const prepared = prepareOrder(this.#client, market, request, reference);
    const stop = request.type === "stop_market";
    const trigger = prepared.price;
    const stopParams = this.#api.stopParams && trigger !== null
      ? this.#api.stopParams(trigger)
      : { triggerPrice: trigger };
    const params = stop
      ? { ...clientIdParams(this.#client.id, cid), ...stopParams }
      : clientIdParams(this.#client.id, cid);
    const type = stop ? "market" : request.type;
    const price = request.type === "limit" ? prepared.price ?? undefined : undefined;
    if (type === "market" && request.side === "buy" && this.#api.marketBuyByCost) {
      // The exchange takes a market buy as the quote to spend, valued at the reference price.
      Object.assign(params, { cost: prepared.baseAmount * (reference ?? 0) });
    }
    try {
      const o = await this.#send(
        cid,
        (ex) =>
          ex.createOrder(request.symbol, type, request.side, prepared.baseAmount, price, params),
      );
      if (isAcknowledgement(o, cid)) {
        // Bybit, Coinbase and Kraken answer a create with ids only: the state is a lookup away.
        const found = await this.fetchOrder(cid, request.symbol);
        if (found) return found;
      }
      if (!looksLikeOrder(o) || (o.clientOrderId !== undefined && o.clientOrderId !== cid)) {
        throw new TransientExchangeError(
          `Cannot submit order ${cid}: the exchange's answer is not an order`,
        );
      }
      return this.#order(o, request.symbol, cid);
    } catch (error) {
      return await this.#afterFailedSend(request, error);
    }
  }

  async #send(cid: string, create: Parameters<ExchangeClient["once"]>[1]): Promise<CcxtOrder> {
    const maxAttempts = this.#options.maxSendAttempts ?? 3;
    for (let attempt = 1;; attempt++) {
      try {
        return await this.#client.once(`submit order ${cid}`, create) as CcxtOrder;
      } catch (error) {
        // Refused before the matching engine (rate limit, ban, clock skew): sending again is safe.
        const refused = error instanceof TransientExchangeError && !isAmbiguousCreateFailure(error);
        if (!refused || attempt >= maxAttempts) throw error;
        const delayMs = Math.max(backoffMs(attempt, this.#client.retry), error.retryAfterMs ?? 0);
        this.#client.logger.warn(
          "Order {cid} refused before matching; sending again in {delayMs} ms: {error}",
          {
            cid,
            delayMs,
            error: error.message,
          },
        );
        if (error instanceof ClockSkewError) await this.#client.resyncTime();
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  async #afterFailedSend(request: OrderRequest, error: unknown): Promise<Order> {
    const cid = request.clientOrderId;
    const duplicate = error instanceof OrderRejectedError && /duplicate/i.test(error.message);
    if (error instanceof TransientExchangeError && isAmbiguousCreateFailure(error) || duplicate) {
      this.#client.logger.warn("Order {cid} not confirmed ({error}); looking it up by client id", {
        cid,
        error: (error as Error).message,
      });
      this.#options.unconfirmed?.();
      const found = await this.fetchOrder(cid, request.symbol);
      if (found) return found;
      throw new TransientExchangeError(
        `Cannot submit order ${cid}: no confirmation and ${this.#client.id} does not know it; not resent`,
        { cause: error },
      );
    }
    if (
      error instanceof FinalExchangeError && !(error instanceof AuthenticationError) &&
      !(error instanceof OrderRejectedError)
    ) {
      throw new OrderRejectedError(error.message, { cause: error });
    }
    throw error;
  }

  async #tickerPrice(symbol: string): Promise<number | null> {
    const ticker = await this.#client.call(
      `fetch ${symbol} ticker`,
      (ex) => ex.fetchTicker(symbol),
    );
    return ticker.last ?? ticker.close ?? null;
  }

  /** Cancels by client id; returns the order's state after, or null when the exchange does not know it. */
  async cancel(clientOrderId: string, symbol: string): Promise<Order | null> {
    try {
      let orderId: string | undefined = undefined;
      let params = this.#api.byClientId(clientOrderId);
      const { cancelByOrderId, stopCancelParams } = this.#api;
      if (cancelByOrderId || stopCancelParams) {
        // The exchange needs its own id, or to be told the order is a stop: look it up first.
        const known = await this.fetchOrder(clientOrderId, symbol);
        if (known === null || (cancelByOrderId && known.exchangeOrderId === null)) return known;
        if (cancelByOrderId) [orderId, params] = [known.exchangeOrderId!, {}];
        if (stopCancelParams && known.type === "stop_market") {
          params = { ...params, ...stopCancelParams };
        }
      }
      await this.#client.call(
        `cancel order ${clientOrderId}`,
        (ex) => ex.cancelOrder(orderId as string, symbol, params),
      );
    } catch (error) {
      // Unknown or already done: its current state says which.
      if (!(error instanceof FinalExchangeError) || error instanceof AuthenticationError) {
        throw error;
      }
    }
    return await this.fetchOrder(clientOrderId, symbol);
  }

  /** The order with this client id, or null when the exchange does not know it. */
  async fetchOrder(clientOrderId: string, symbol: string): Promise<Order | null> {
    try {
      const find = this.#api.findByClientId;
      const o = await this.#client.call(
        `fetch order ${clientOrderId}`,
        (ex) =>
          find ? find(ex, symbol, clientOrderId) : ex.fetchOrder(
            undefined as unknown as string,
            symbol,
            this.#api.byClientId(clientOrderId),
          ),
      );
      if (o === null) return null;
      if (!looksLikeOrder(o)) {
        throw new TransientExchangeError(`Cannot fetch order ${clientOrderId}: malformed answer`);
      }
      return this.#order(o, symbol, clientOrderId);
    } catch (error) {
      if (error instanceof FinalExchangeError && error.cause instanceof ccxt.OrderNotFound) {
        return null;
      }
      throw error;
    }
  }

  /** Open orders of the symbol. */
  async openOrders(symbol: string): Promise<Order[]> {
    const orders = await this.#client.call(
      `fetch open ${symbol} orders`,
      (ex) => ex.fetchOpenOrders(symbol),
    );
    return orders.map((o) => this.#order(o, symbol, o.clientOrderId ?? ""));
  }

  /** Free and total balances of the market's base and quote currencies. */
  async balances(symbol: string): Promise<Balances> {
    const market = this.#catalog.market(symbol);
    const balance = await this.#client.call(
      "fetch balance",
      (ex) => ex.fetchBalance(this.#api.balanceParams),
    );
    const of = (c: string) =>
      (balance as unknown as Record<string, { free?: number; total?: number }>)[c];
    return {
      baseFree: of(market.base)?.free ?? 0,
      baseTotal: of(market.base)?.total ?? 0,
      quoteFree: of(market.quote)?.free ?? 0,
      quoteTotal: of(market.quote)?.total ?? 0,
    };
  }

  /** Our fills since `sinceMs`, each tagged with its order's client id. */
  async myFills(symbol: string, sinceMs: number): Promise<Fill[]> {
    if (this.#api.tradesNewestFirstByOffset) return await this.#fillsByOffset(symbol, sinceMs);
    const fills: Fill[] = [];
    const { tradesPageLimit: limit, tradesWindowMs: windowMs } = this.#api;
    const nowMs = this.#options.clock.nowMs();
    let since = sinceMs;
    for (;;) {
      // An exchange whose trade list spans a window is asked one window at a time.
      const until = windowMs === null ? null : Math.min(since + windowMs, nowMs + 60_000);
      const trades = await this.#client.call(
        `fetch ${symbol} trades`,
        (ex) => ex.fetchMyTrades(symbol, since, limit, until === null ? {} : { until }),
      );
      for (const t of trades) {
        const cid = await this.#clientIdOf(t.order, symbol);
        fills.push(toFill(t, cid, this.#catalog.market(symbol)));
      }
      const last = trades.at(-1)?.timestamp;
      if (trades.length >= limit && last !== undefined && last + 1 > since) since = last + 1;
      else if (until !== null && until < nowMs) since = until + 1;
      else break;
    }
    return fills;
  }

  /**
   * Fills of a trade list that pages newest first by offset (Kraken): pages are asked until one is
   * short (the last, or one that reached `since`); a trade seen twice (the list grew between two
   * pages and shifted them) counts once. Pages span all pairs, so a page's length is counted
   * before keeping the symbol's trades. Oldest first.
   */
  async #fillsByOffset(symbol: string, sinceMs: number): Promise<Fill[]> {
    const limit = this.#api.tradesPageLimit;
    const pages: Trade[][] = [];
    for (let ofs = 0;; ofs += limit) {
      const page = await this.#client.call(
        `fetch ${symbol} trades`,
        (ex) => ex.fetchMyTrades(undefined, sinceMs, undefined, { ofs }),
      );
      pages.push(page);
      if (page.length < limit) break;
    }
    // Each page comes back oldest first from CCXT; the last page holds the oldest trades.
    const seen = new Map<string, Trade>();
    for (const t of pages.reverse().flat()) {
      const key = t.id ?? `${t.order}:${t.timestamp}:${t.amount}:${t.price}`;
      if (t.symbol === symbol && !seen.has(key)) seen.set(key, t);
    }
    const fills: Fill[] = [];
    for (const t of seen.values()) {
      const cid = await this.#clientIdOf(t.order, symbol);
      fills.push(toFill(t, cid, this.#catalog.market(symbol)));
    }
    return fills;
  }

  async #clientIdOf(orderId: string | undefined, symbol: string): Promise<string> {
    if (!orderId) return "";
    const known = this.#clientIds.get(orderId);
    if (known !== undefined) return known;
    const o = await this.#client.call(
      `fetch order ${orderId}`,
      (ex) => ex.fetchOrder(orderId, symbol),
    );
    this.#clientIds.set(orderId, o.clientOrderId ?? "");
    return o.clientOrderId ?? "";
  }
}

/**
 * A create answer that names the order (ids only) without its state. Kraken's names the order by
 * its txid and a description, without our client id.
 */
function isAcknowledgement(o: CcxtOrder | undefined, cid: string): boolean {
  return o !== undefined && typeof o.id === "string" && o.id !== "" &&
    (o.clientOrderId === cid || o.clientOrderId === undefined) && o.status === undefined;
}
