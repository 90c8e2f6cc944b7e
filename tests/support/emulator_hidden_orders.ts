/**
 * Orders the `visible_after` fault hides: they exist in the book and can fill, but the signed
 * lookups (one order, open orders, all orders, my trades) leave them out until their time.
 */

/** A response body and status after hiding. */
export interface HiddenView {
  readonly status: number;
  readonly body: unknown;
}

const LISTS = new Set(["/api/v3/openOrders", "/api/v3/allOrders", "/api/v3/myTrades"]);

/** Order ids hidden from lookups until a market time. */
export class HiddenOrders {
  readonly #untilMs = new Map<number, number>();

  /** Hides the order until `untilMarketMs`. */
  hide(orderId: number, untilMarketMs: number): void {
    this.#untilMs.set(orderId, untilMarketMs);
  }

  /** True while the order is hidden at `marketNowMs`. */
  hidden(orderId: unknown, marketNowMs: number): boolean {
    const untilMs = typeof orderId === "number" ? this.#untilMs.get(orderId) : undefined;
    return untilMs !== undefined && marketNowMs < untilMs;
  }

  /** The answer to a successful GET with hidden orders left out (Binance's -2013 for one order). */
  view(method: string, path: string, body: unknown, marketNowMs: number): HiddenView {
    if (method !== "GET" || this.#untilMs.size === 0) return { status: 200, body };
    const hidden = (item: unknown) =>
      this.hidden((item as { orderId?: unknown } | null)?.orderId, marketNowMs);
    if (path === "/api/v3/order" && hidden(body)) {
      return { status: 400, body: { code: -2013, msg: "Order does not exist." } };
    }
    if (LISTS.has(path) && Array.isArray(body)) {
      return { status: 200, body: body.filter((item) => !hidden(item)) };
    }
    return { status: 200, body };
  }
}
