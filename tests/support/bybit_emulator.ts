/**
 * A loopback Bybit v5 spot emulator (unified trading account) that CCXT's real `bybit` class
 * talks to unchanged: instruments, klines (1,000 a page, newest first), tickers, wallet balance,
 * order create / cancel / realtime / history and the execution list. Private requests are checked
 * as Bybit does: X-BAPI-API-KEY, X-BAPI-TIMESTAMP within X-BAPI-RECV-WINDOW, X-BAPI-SIGN
 * (HMAC-SHA256 of timestamp + key + recvWindow + query or body). Errors are HTTP 200 with Bybit's
 * `retCode` / `retMsg`; per-key, per-endpoint request limits answer 10006.
 */
import { lowerBound, partialCandle } from "./candle_source.ts";
import { hmacHex } from "./emulator_auth.ts";
import {
  BinanceError,
  type EmulatorAccount,
  type EmulatorOrder,
  type EmulatorTrade,
  isOpen,
} from "./emulator_book.ts";
import type { FaultSpec } from "./emulator_faults.ts";
import { spec as symbolSpec, type SymbolSpec } from "./emulator_markets.ts";
import {
  cursorPage,
  decimal,
  floorToStep,
  VenueEmulator,
  type VenueEmulatorOptions,
  type VenueRequest,
  type VenueResponse,
  WindowCounter,
} from "./venue_emulator.ts";

/** API key of the default account. */
export const BYBIT_API_KEY = "bybit-emulator-key";
/** Secret of the default account. */
export const BYBIT_API_SECRET = "bybit-emulator-secret";
/** Longest `orderLinkId` Bybit accepts. */
export const BYBIT_ORDER_LINK_ID_MAX = 36;

/** Spot instruments with Bybit's real lot and price filters (mid-2025). */
export const BYBIT_SYMBOLS: readonly SymbolSpec[] = [
  symbolSpec("BTC", "USDT", "0.01", "0.000001", "0.000048", "71.73956243", "5", "NOTIONAL", 60000),
  symbolSpec("ETH", "USDT", "0.01", "0.00001", "0.00062", "1229.2336343", "5", "NOTIONAL", 3000),
  symbolSpec("AVAX", "USDT", "0.01", "0.001", "0.04", "290000", "5", "NOTIONAL", 30),
  symbolSpec("SOL", "USDT", "0.01", "0.001", "0.007", "12000", "5", "NOTIONAL", 150),
];

/** Bybit's kline interval names and their length. */
export const BYBIT_INTERVALS: Readonly<Record<string, number>> = {
  "1": 60_000,
  "3": 180_000,
  "5": 300_000,
  "15": 900_000,
  "30": 1_800_000,
  "60": 3_600_000,
  "120": 7_200_000,
  "240": 14_400_000,
  "360": 21_600_000,
  "720": 43_200_000,
  "D": 86_400_000,
  "W": 604_800_000,
};

/** How to start a Bybit emulator. */
export interface BybitEmulatorOptions extends VenueEmulatorOptions {
  /** Requests per second per API key and endpoint before 10006 (Bybit spot: 20 for orders). */
  requestsPerSecond?: number;
}

/** A Bybit error as the API answers it. */
export class BybitError extends Error {
  constructor(readonly retCode: number, message: string) {
    super(message);
  }
}

/** What Bybit remembers of an order beyond the book: how its quantity was given. */
interface OrderExtra {
  readonly qty: string;
  readonly marketUnit: "baseCoin" | "quoteCoin" | "";
  readonly orderFilter: "Order" | "StopOrder";
  readonly triggerDirection: number;
}

const PRIVATE = new Set([
  "GET /v5/user/query-api",
  "GET /v5/account/info",
  "GET /v5/account/wallet-balance",
  "GET /v5/account/fee-rate",
  "GET /v5/asset/coin/query-info",
  "POST /v5/order/create",
  "POST /v5/order/cancel",
  "GET /v5/order/realtime",
  "GET /v5/order/history",
  "GET /v5/execution/list",
]);

/** Starts a Bybit emulator on 127.0.0.1. */
export class BybitEmulator extends VenueEmulator {
  readonly defaultApiKey = BYBIT_API_KEY;
  readonly #extras = new Map<number, OrderExtra>();
  readonly #perSecond = new WindowCounter(1000);
  readonly #requestsPerSecond: number;

  constructor(options: BybitEmulatorOptions = {}) {
    super(options, { symbols: BYBIT_SYMBOLS });
    this.book.addAccount(BYBIT_API_KEY, BYBIT_API_SECRET, options.balances ?? { USDT: 10_000 });
    this.#requestsPerSecond = options.requestsPerSecond ?? 20;
  }

  protected commissionIn(): "received" | "quote" {
    return "received"; // Bybit spot: a buy pays its fee in the base coin, a sell in the quote
  }

  protected isSigned(headers: Headers): boolean {
    return headers.has("x-bapi-sign") && headers.has("x-bapi-api-key");
  }

  protected rateLimitResponse(spec: FaultSpec): VenueResponse {
    if (spec.kind === "ban") {
      // Bybit's IP limit: HTTP 403 with a plain body; the ban lasts at least 10 minutes.
      return { status: 403, body: { retCode: 10018, retMsg: "access too frequent" } };
    }
    return {
      status: 200,
      body: envelope(10006, "Too many visits. Exceeded the API Rate Limit.", {}, this),
      headers: { "X-Bapi-Limit-Status": "0", "X-Bapi-Limit": String(this.#requestsPerSecond) },
    };
  }

  protected async route(req: VenueRequest): Promise<VenueResponse> {
    const key = `${req.method} ${req.path}`;
    let params: Record<string, string> = {};
    const headers: Record<string, string> = {};
    try {
      params = parseParams(req);
      if (PRIVATE.has(key)) {
        const account = await this.#authenticate(req);
        const limit = this.#perSecond.hit(`${account.apiKey} ${key}`, req.wallNowMs);
        const left = Math.max(0, this.#requestsPerSecond - limit.count);
        headers["X-Bapi-Limit"] = String(this.#requestsPerSecond);
        headers["X-Bapi-Limit-Status"] = String(left);
        headers["X-Bapi-Limit-Reset-Timestamp"] = String(limit.resetMs);
        if (limit.count > this.#requestsPerSecond) {
          throw new BybitError(10006, "Too many visits. Exceeded the API Rate Limit.");
        }
        this.book.match(req.marketNowMs);
        const result = this.#private(key, params, account, req);
        return { status: 200, body: envelope(0, "OK", result, this), headers };
      }
      const result = this.#public(key, params, req.marketNowMs);
      if (result === undefined) return { status: 404, body: undefined };
      return { status: 200, body: envelope(0, "OK", result, this) };
    } catch (e) {
      const error = e instanceof BinanceError ? fromBookError(e, params) : e;
      if (!(error instanceof BybitError)) throw e;
      req.record.errorCode = error.retCode;
      const body = envelope(error.retCode, error.message, {}, this);
      return { status: 200, body, headers, ok: false };
    }
  }

  async #authenticate(req: VenueRequest): Promise<EmulatorAccount> {
    const apiKey = req.headers.get("x-bapi-api-key");
    const account = apiKey ? this.book.accounts.get(apiKey) : undefined;
    if (!apiKey || !account) throw new BybitError(10003, "API key is invalid.");
    const timestamp = Number(req.headers.get("x-bapi-timestamp"));
    const recvWindow = Number(req.headers.get("x-bapi-recv-window") ?? 5000);
    const serverMs = this.serverTimeMs();
    const skew = this.skewFault(req);
    if (
      skew || !Number.isFinite(timestamp) || timestamp >= serverMs + 1000 ||
      serverMs - recvWindow > timestamp
    ) {
      throw new BybitError(
        10002,
        "invalid request, please check your server timestamp or recv_window param. " +
          `req_timestamp[${timestamp}],server_timestamp[${serverMs}],recv_window[${recvWindow}]`,
      );
    }
    const payload = `${req.headers.get("x-bapi-timestamp")}${apiKey}` +
      `${req.headers.get("x-bapi-recv-window") ?? ""}` +
      (req.method === "POST" ? req.rawBody : req.rawQuery);
    const expected = await hmacHex(account.secret, payload);
    if (expected !== (req.headers.get("x-bapi-sign") ?? "").toLowerCase()) {
      throw new BybitError(10004, `error sign! origin_string[${payload}]`);
    }
    return account;
  }

  #public(key: string, p: Record<string, string>, nowMs: number): unknown {
    switch (key) {
      case "GET /v5/market/time": {
        const ms = this.serverTimeMs();
        return { timeSecond: String(Math.floor(ms / 1000)), timeNano: `${ms}000000` };
      }
      case "GET /v5/market/instruments-info":
        return this.#instruments(p);
      case "GET /v5/market/kline":
        return this.#klines(p, nowMs);
      case "GET /v5/market/tickers":
        return this.#tickers(p, nowMs);
      default:
        return undefined;
    }
  }

  #instruments(p: Record<string, string>): unknown {
    const category = p.category;
    if (!["spot", "linear", "inverse", "option"].includes(category)) {
      throw new BybitError(10001, "Illegal category");
    }
    // Only the spot book is emulated; derivatives categories list nothing.
    const specs = category === "spot"
      ? [...this.book.symbols.values()].filter((s) => !p.symbol || s.symbol === p.symbol)
      : [];
    return {
      category,
      list: specs.map((s) => ({
        symbol: s.symbol,
        baseCoin: s.baseAsset,
        quoteCoin: s.quoteAsset,
        innovation: "0",
        status: "Trading",
        marginTrading: "utaOnly",
        stTag: "0",
        lotSizeFilter: {
          basePrecision: s.stepSize,
          quotePrecision: "0.0000001",
          minOrderQty: s.minQty,
          maxOrderQty: s.maxQty,
          minOrderAmt: s.minNotional,
          maxOrderAmt: "2000000",
        },
        priceFilter: { tickSize: s.tickSize },
        riskParameters: { priceLimitRatioX: "0.05", priceLimitRatioY: "0.1" },
      })),
      nextPageCursor: "",
    };
  }

  #spec(symbol: string | undefined): SymbolSpec {
    const spec = symbol ? this.book.symbols.get(symbol) : undefined;
    if (!spec) throw new BybitError(10001, "Not supported symbols");
    return spec;
  }

  #klines(p: Record<string, string>, nowMs: number): unknown {
    if (p.category !== "spot") throw new BybitError(10001, "Illegal category");
    const spec = this.#spec(p.symbol);
    const ms = BYBIT_INTERVALS[p.interval];
    if (ms === undefined) throw new BybitError(10001, "Invalid period!");
    const limit = Number(p.limit ?? 200);
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) {
      throw new BybitError(10001, "params error: limit must be between 1 and 1000");
    }
    const candles = this.book.source.series(spec.symbol, ms)?.candles ?? [];
    const endMs = Math.min(p.end ? Number(p.end) : Infinity, nowMs);
    const end = lowerBound(candles, endMs + 1);
    // With `start`, the page runs forward from it; without, it is the latest `limit` candles.
    const start = p.start ? lowerBound(candles, Number(p.start)) : Math.max(0, end - limit);
    const page = candles.slice(start, Math.min(end, start + limit)).map((c) => {
      const k = c.openTimeMs + ms > nowMs ? partialCandle(c, ms, nowMs) : c;
      return [
        String(k.openTimeMs),
        decimal(k.open),
        decimal(k.high),
        decimal(k.low),
        decimal(k.close),
        decimal(k.volume, 8),
        decimal(k.volume * (k.open + k.close) / 2, 8),
      ];
    });
    return { category: "spot", symbol: spec.symbol, list: page.reverse() };
  }

  #tickers(p: Record<string, string>, nowMs: number): unknown {
    if (p.category !== "spot") throw new BybitError(10001, "Illegal category");
    const specs = p.symbol ? [this.#spec(p.symbol)] : [...this.book.symbols.values()];
    return {
      category: "spot",
      list: specs.map((s) => {
        const last = this.book.priceAt(s.symbol, nowMs);
        const open = this.book.priceAt(s.symbol, nowMs - 86_400_000);
        return {
          symbol: s.symbol,
          bid1Price: decimal(last),
          bid1Size: "1",
          ask1Price: decimal(last),
          ask1Size: "1",
          lastPrice: decimal(last),
          prevPrice24h: decimal(open),
          price24hPcnt: decimal((last - open) / open, 4),
          highPrice24h: decimal(Math.max(last, open)),
          lowPrice24h: decimal(Math.min(last, open)),
          turnover24h: "0",
          volume24h: "0",
          usdIndexPrice: decimal(last),
        };
      }),
    };
  }

  #private(
    key: string,
    p: Record<string, string>,
    account: EmulatorAccount,
    req: VenueRequest,
  ): unknown {
    switch (key) {
      case "GET /v5/user/query-api":
        return {
          id: "1",
          note: "emulator",
          apiKey: account.apiKey,
          readOnly: 0,
          secret: "",
          permissions: { Spot: ["SpotTrade"], Wallet: ["AccountTransfer"] },
          ips: ["*"],
          type: 1,
          unified: 0,
          uta: 1,
          userID: 1,
          isMaster: true,
        };
      case "GET /v5/account/info":
        return {
          marginMode: "REGULAR_MARGIN",
          updatedTime: String(req.marketNowMs),
          unifiedMarginStatus: 6,
          dcpStatus: "OFF",
          timeWindow: 10,
          smpGroup: 0,
          isMasterTrader: false,
          spotHedgingStatus: "OFF",
        };
      case "GET /v5/account/wallet-balance":
        return this.#wallet(p, account);
      case "GET /v5/account/fee-rate":
        return {
          list: [...this.book.symbols.values()].map((s) => ({
            symbol: s.symbol,
            takerFeeRate: decimal(this.book.feeRate),
            makerFeeRate: decimal(this.book.feeRate),
          })),
        };
      case "GET /v5/asset/coin/query-info":
        return { rows: [] };
      case "POST /v5/order/create":
        return this.#create(p, account, req);
      case "POST /v5/order/cancel":
        return this.#cancel(p, account, req.marketNowMs);
      case "GET /v5/order/realtime":
        return this.#realtime(p, account);
      case "GET /v5/order/history":
        return this.#history(p, account);
      case "GET /v5/execution/list":
        return this.#executions(p, account, req.marketNowMs);
      default:
        return undefined;
    }
  }

  #wallet(p: Record<string, string>, account: EmulatorAccount): unknown {
    if (p.accountType !== "UNIFIED") {
      throw new BybitError(10001, "accountType only support UNIFIED.");
    }
    const coins = [...account.balances.entries()].map(([coin, b]) => {
      const total = b.free + b.locked;
      const price = coin === "USDT" || coin === "USDC" ? 1 : this.#usdPrice(coin);
      return {
        coin,
        equity: decimal(total),
        usdValue: decimal(total * price, 4),
        walletBalance: decimal(total),
        free: "",
        locked: decimal(b.locked),
        spotHedgingQty: "0",
        borrowAmount: "0",
        availableToWithdraw: "",
        accruedInterest: "0",
        totalOrderIM: "0",
        totalPositionIM: "0",
        totalPositionMM: "0",
        unrealisedPnl: "0",
        cumRealisedPnl: "0",
        bonus: "0",
        marginCollateral: true,
        collateralSwitch: true,
      };
    });
    const usd = coins.reduce((sum, c) => sum + Number(c.usdValue), 0);
    return {
      list: [{
        accountType: "UNIFIED",
        totalEquity: decimal(usd, 4),
        totalWalletBalance: decimal(usd, 4),
        totalMarginBalance: decimal(usd, 4),
        totalAvailableBalance: decimal(usd, 4),
        totalPerpUPL: "0",
        totalInitialMargin: "0",
        totalMaintenanceMargin: "0",
        accountIMRate: "0",
        accountMMRate: "0",
        accountLTV: "0",
        coin: coins,
      }],
    };
  }

  #usdPrice(coin: string): number {
    const spec = this.book.symbols.get(`${coin}USDT`);
    return spec ? this.book.priceAt(spec.symbol, this.clock.nowMs()) : 0;
  }

  #create(p: Record<string, string>, account: EmulatorAccount, req: VenueRequest): unknown {
    if (p.category !== "spot") throw new BybitError(10001, "Illegal category");
    const spec = this.#spec(p.symbol);
    const side = p.side === "Buy" ? "BUY" : p.side === "Sell" ? "SELL" : null;
    if (side === null) throw new BybitError(10001, "params error: side invalid");
    if (p.orderType !== "Market" && p.orderType !== "Limit") {
      throw new BybitError(10001, "params error: orderType invalid");
    }
    const link = p.orderLinkId ?? "";
    if (link.length > BYBIT_ORDER_LINK_ID_MAX || (link !== "" && !/^[A-Za-z0-9_-]+$/.test(link))) {
      throw new BybitError(170130, "Data sent for paramter 'orderLinkId' is not valid.");
    }
    if (
      link !== "" &&
      this.book.orders.some((o) => o.apiKey === account.apiKey && o.clientOrderId === link)
    ) {
      throw new BybitError(170141, "Duplicate clientOrderId.");
    }
    const qty = Number(p.qty);
    if (!(qty > 0)) throw new BybitError(10001, "params error: qty invalid");
    const market = p.orderType === "Market";
    const stop = p.orderFilter === "StopOrder";
    const marketUnit = market
      ? (p.marketUnit === "baseCoin" || p.marketUnit === "quoteCoin"
        ? p.marketUnit
        : side === "BUY" && !stop
        ? "quoteCoin"
        : "baseCoin")
      : "";
    const price = this.book.priceAt(spec.symbol, req.marketNowMs);
    const triggerPrice = stop ? Number(p.triggerPrice) : null;
    if (stop && !(triggerPrice! > 0)) throw new BybitError(10001, "params error: triggerPrice");
    let quantity = qty;
    if (marketUnit === "quoteCoin") {
      if (qty < Number(spec.minNotional)) {
        throw new BybitError(170140, "Order value exceeded lower limit.");
      }
      quantity = floorToStep(qty / (triggerPrice ?? price), Number(spec.stepSize));
    } else if (!onStep(qty, Number(spec.stepSize))) {
      throw new BybitError(170137, "Order quantity has too many decimals.");
    }
    if (this.fundsFault(req)) throw new BybitError(170131, "Insufficient balance.");
    // Above the market at creation a stop buy and a sell take-profit trigger upwards.
    const triggerDirection = stop ? (triggerPrice! > price ? 1 : 2) : 0;
    const type = stop
      ? (market ? "STOP_LOSS" : "STOP_LOSS_LIMIT").replace(
        "STOP_LOSS",
        (side === "BUY") === (triggerDirection === 1) ? "STOP_LOSS" : "TAKE_PROFIT",
      )
      : market
      ? "MARKET"
      : "LIMIT";
    const placed = this.book.place(account, {
      symbol: spec.symbol,
      side,
      type,
      quantity,
      price: market ? null : Number(p.price),
      stopPrice: triggerPrice,
      timeInForce: p.timeInForce ?? null,
      clientOrderId: link || generatedLinkId(),
    }, req.marketNowMs);
    this.#extras.set(placed.orderId, {
      qty: p.qty,
      marketUnit,
      orderFilter: stop ? "StopOrder" : "Order",
      triggerDirection,
    });
    return { orderId: String(placed.orderId), orderLinkId: placed.clientOrderId };
  }

  #find(p: Record<string, string>, account: EmulatorAccount): EmulatorOrder | null {
    if (!p.orderId && !p.orderLinkId) return null;
    return this.book.orders.findLast((o) =>
      o.apiKey === account.apiKey && (!p.symbol || o.symbol === p.symbol) &&
      (p.orderId ? String(o.orderId) === p.orderId : o.clientOrderId === p.orderLinkId)
    ) ?? null;
  }

  #cancel(p: Record<string, string>, account: EmulatorAccount, nowMs: number): unknown {
    if (p.category !== "spot") throw new BybitError(10001, "Illegal category");
    this.#spec(p.symbol);
    if (!p.orderId && !p.orderLinkId) {
      throw new BybitError(10001, "params error: orderId or orderLinkId is required");
    }
    const order = this.#find(p, account);
    // Spot cancels name the kind of order: `Order` (the default) or `StopOrder` (conditional).
    const filter = this.#extras.get(order?.orderId ?? 0)?.orderFilter ?? "Order";
    if (!order || !isOpen(order) || filter !== (p.orderFilter ?? "Order")) {
      throw new BybitError(170213, "Order does not exist.");
    }
    this.book.cancel(account, order, nowMs);
    return { orderId: String(order.orderId), orderLinkId: order.clientOrderId };
  }

  #realtime(p: Record<string, string>, account: EmulatorAccount): unknown {
    if (p.category !== "spot") throw new BybitError(10001, "Illegal category");
    if (p.symbol) this.#spec(p.symbol);
    const limit = pageLimit(p.limit, 20, 50);
    let rows: EmulatorOrder[];
    if (p.orderId || p.orderLinkId) {
      const order = this.#find(p, account);
      // Realtime also shows an order closed within the last 500 of the account.
      const recent = this.book.orders.filter((o) => o.apiKey === account.apiKey).slice(-500);
      rows = order && (isOpen(order) || recent.includes(order)) ? [order] : [];
    } else {
      const openOnly = p.openOnly ?? "0";
      rows = this.book.orders.filter((o) =>
        o.apiKey === account.apiKey && (!p.symbol || o.symbol === p.symbol) &&
        (openOnly === "0" ? isOpen(o) : true) && this.#filterMatches(o, p)
      ).reverse();
    }
    return this.#orderPage(rows, p, limit);
  }

  #history(p: Record<string, string>, account: EmulatorAccount): unknown {
    if (p.category !== "spot") throw new BybitError(10001, "Illegal category");
    if (p.symbol) this.#spec(p.symbol);
    const limit = pageLimit(p.limit, 20, 50);
    const start = p.startTime ? Number(p.startTime) : null;
    const end = p.endTime ? Number(p.endTime) : null;
    const rows = this.book.orders.filter((o) =>
      o.apiKey === account.apiKey && !isOpen(o) && (!p.symbol || o.symbol === p.symbol) &&
      (!p.orderId || String(o.orderId) === p.orderId) &&
      (!p.orderLinkId || o.clientOrderId === p.orderLinkId) &&
      (!p.orderStatus || bybitStatus(o, this.#extras.get(o.orderId)) === p.orderStatus) &&
      (start === null || o.timeMs >= start) && (end === null || o.timeMs <= end) &&
      this.#filterMatches(o, p)
    ).reverse();
    return this.#orderPage(rows, p, limit);
  }

  #filterMatches(o: EmulatorOrder, p: Record<string, string>): boolean {
    if (!p.orderFilter) return true;
    return (this.#extras.get(o.orderId)?.orderFilter ?? "Order") === p.orderFilter;
  }

  #orderPage(rows: EmulatorOrder[], p: Record<string, string>, limit: number): unknown {
    const { page, next } = cursorPage(rows, p.cursor, limit);
    return { category: "spot", list: page.map((o) => this.#orderJson(o)), nextPageCursor: next };
  }

  #orderJson(o: EmulatorOrder): Record<string, unknown> {
    const extra = this.#extras.get(o.orderId) ??
      { qty: decimal(o.origQty), marketUnit: "", orderFilter: "Order", triggerDirection: 0 };
    const fees = this.book.trades.filter((t) => t.orderId === o.orderId)
      .reduce((sum, t) => sum + t.commission, 0);
    const market = o.type === "MARKET" || o.type === "STOP_LOSS" || o.type === "TAKE_PROFIT";
    const quoteQty = extra.marketUnit === "quoteCoin";
    return {
      orderId: String(o.orderId),
      orderLinkId: o.clientOrderId,
      blockTradeId: "",
      symbol: o.symbol,
      price: market ? "0" : decimal(o.price),
      qty: extra.qty,
      side: o.side === "BUY" ? "Buy" : "Sell",
      isLeverage: "0",
      positionIdx: 0,
      orderStatus: bybitStatus(o, extra),
      cancelType: o.status === "CANCELED" ? "CancelByUser" : "UNKNOWN",
      rejectReason: "EC_NoError",
      avgPrice: o.executedQty > 0 ? decimal(o.cumQuote / o.executedQty, 8) : "",
      leavesQty: quoteQty ? "0" : decimal(isOpen(o) ? o.origQty - o.executedQty : 0),
      leavesValue: decimal(isOpen(o) ? (o.origQty - o.executedQty) * o.price : 0),
      cumExecQty: decimal(o.executedQty),
      cumExecValue: decimal(o.cumQuote, 8),
      cumExecFee: decimal(fees),
      timeInForce: market ? "IOC" : (o.timeInForce ?? "GTC"),
      orderType: market ? "Market" : "Limit",
      stopOrderType: extra.orderFilter === "StopOrder" ? "StopOrder" : "",
      orderIv: "",
      marketUnit: extra.marketUnit,
      triggerPrice: o.stopPrice ? decimal(o.stopPrice) : "0",
      takeProfit: "0",
      stopLoss: "0",
      tpTriggerBy: "",
      slTriggerBy: "",
      triggerDirection: extra.triggerDirection,
      triggerBy: o.stopPrice ? "LastPrice" : "",
      lastPriceOnCreated: "",
      reduceOnly: false,
      closeOnTrigger: false,
      placeType: "",
      smpType: "None",
      smpGroup: 0,
      smpOrderId: "",
      createdTime: String(o.timeMs),
      updatedTime: String(o.updateTimeMs),
    };
  }

  #executions(p: Record<string, string>, account: EmulatorAccount, nowMs: number): unknown {
    if (p.category !== "spot") throw new BybitError(10001, "Illegal category");
    if (p.symbol) this.#spec(p.symbol);
    const limit = pageLimit(p.limit, 50, 100);
    // Bybit: at most 7 days per query; without times, the last 7 days.
    const week = 7 * 86_400_000;
    let start = p.startTime ? Number(p.startTime) : null;
    let end = p.endTime ? Number(p.endTime) : null;
    if (start === null && end === null) [start, end] = [nowMs - week, nowMs];
    else if (start === null) start = end! - week;
    else if (end === null) end = start + week;
    if (end! - start > week) {
      throw new BybitError(
        10001,
        "The time range between startTime and endTime cannot exceed 7 days.",
      );
    }
    const rows = this.book.trades.filter((t) =>
      t.apiKey === account.apiKey && (!p.symbol || t.symbol === p.symbol) &&
      t.timeMs >= start! && t.timeMs <= end! &&
      (!p.orderId || String(t.orderId) === p.orderId)
    ).reverse();
    const { page, next } = cursorPage(rows, p.cursor, limit);
    return {
      category: "spot",
      list: page.map((t) => this.#executionJson(t)),
      nextPageCursor: next,
    };
  }

  #executionJson(t: EmulatorTrade): Record<string, unknown> {
    const order = this.book.orders.find((o) => o.orderId === t.orderId);
    const spec = this.book.symbols.get(t.symbol)!;
    return {
      symbol: t.symbol,
      orderId: String(t.orderId),
      orderLinkId: order?.clientOrderId ?? "",
      side: t.isBuyer ? "Buy" : "Sell",
      orderPrice: order && order.price ? decimal(order.price) : "0",
      orderQty: order ? decimal(order.origQty) : "0",
      leavesQty: "0",
      createType: "CreateByUser",
      orderType: order?.type === "LIMIT" ? "Limit" : "Market",
      stopOrderType: "",
      execFee: decimal(t.commission),
      feeCurrency: t.commissionAsset === spec.baseAsset ? spec.baseAsset : spec.quoteAsset,
      execId: String(t.id),
      execPrice: decimal(t.price, 8),
      execQty: decimal(t.qty),
      execType: "Trade",
      execValue: decimal(t.quoteQty, 8),
      execTime: String(t.timeMs),
      isMaker: t.isMaker,
      feeRate: decimal(this.book.feeRate),
      tradeIv: "",
      markIv: "",
      markPrice: "",
      indexPrice: "",
      underlyingPrice: "",
      blockTradeId: "",
      closedSize: "",
      seq: t.id,
    };
  }
}

function envelope(retCode: number, retMsg: string, result: unknown, emulator: BybitEmulator) {
  return { retCode, retMsg, result, retExtInfo: {}, time: emulator.serverTimeMs() };
}

function parseParams(req: VenueRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(req.rawQuery)) out[k] = v;
  if (req.method === "POST") {
    let body: unknown;
    try {
      body = JSON.parse(req.rawBody || "{}");
    } catch {
      throw new BybitError(10001, "request body is not valid JSON");
    }
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (v !== null && v !== undefined) out[k] = String(v);
    }
  }
  return out;
}

function pageLimit(raw: string | undefined, fallback: number, max: number): number {
  const limit = raw === undefined ? fallback : Number(raw);
  if (!(Number.isInteger(limit) && limit >= 1)) throw new BybitError(10001, "params error: limit");
  return Math.min(limit, max);
}

function onStep(value: number, step: number): boolean {
  const n = value / step;
  return Math.abs(n - Math.round(n)) < 1e-6;
}

/** Bybit's order status of a book order. */
function bybitStatus(o: EmulatorOrder, extra: OrderExtra | undefined): string {
  switch (o.status) {
    case "NEW":
      return extra?.orderFilter === "StopOrder" && !o.triggered && o.executedQty === 0
        ? "Untriggered"
        : "New";
    case "PARTIALLY_FILLED":
      return "PartiallyFilled";
    case "FILLED":
      return "Filled";
    default:
      // A market order's unfilled rest, or a cancel after a partial fill.
      return o.executedQty > 0 ? "PartiallyFilledCanceled" : "Cancelled";
  }
}

/** Bybit's error for a book refusal. */
function fromBookError(e: BinanceError, p: Record<string, string>): BybitError {
  switch (e.code) {
    case -2010:
      return /duplicate/i.test(e.message)
        ? new BybitError(170141, "Duplicate clientOrderId.")
        : new BybitError(170131, "Insufficient balance.");
    case -1013:
      if (e.message.includes("NOTIONAL")) {
        return new BybitError(170140, "Order value exceeded lower limit.");
      }
      if (e.message.includes("PRICE")) {
        return new BybitError(170134, "Order price has too many decimals.");
      }
      return Number(p.qty) > 0
        ? new BybitError(170136, "Order quantity exceeded lower limit.")
        : new BybitError(10001, "params error: qty");
    case -2011:
    case -2013:
      return new BybitError(170213, "Order does not exist.");
    case -1121:
      return new BybitError(170121, "Invalid symbol.");
    default:
      return new BybitError(10001, `params error: ${e.message}`);
  }
}

function generatedLinkId(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 32);
}
