/**
 * A loopback Coinbase Advanced Trade emulator that CCXT's real `coinbase` class talks to
 * unchanged: products (spot; futures list nothing), candles (at most 350 a request, CCXT asks 300;
 * `ONE_MINUTE` … `ONE_DAY`), ticker, time, the fee tier, accounts (v3 brokerage and the v2 wallet
 * list CCXT's `fetchBalance` uses by default), orders by `client_order_id` (a reused id returns the
 * order it named instead of a new one), the order list, one order, batch cancel and fills. Private
 * requests carry an ES256 JWT bearer signed with a CDP key (see `coinbase_auth.ts`); a bad one
 * gets Coinbase's plain `401 Unauthorized`. Rate limits answer 429 with Coinbase's error body.
 */
import { lowerBound, partialCandle } from "./candle_source.ts";
import { type CdpKey, generateCdpKey, publicKeyOf, verifyJwt } from "./coinbase_auth.ts";
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

/** Spot products with Coinbase's real increments and minimum sizes (mid-2025). */
export const COINBASE_PRODUCTS: readonly SymbolSpec[] = [
  symbolSpec("BTC", "USD", "0.01", "0.00000001", "0.00000001", "3400", "1", "NOTIONAL", 60000),
  symbolSpec("ETH", "USD", "0.01", "0.00000001", "0.00000001", "42000", "1", "NOTIONAL", 3000),
  symbolSpec("BTC", "USDT", "0.01", "0.00000001", "0.00000001", "3400", "1", "NOTIONAL", 60000),
  symbolSpec("SOL", "USD", "0.01", "0.00000001", "0.00000001", "100000", "1", "NOTIONAL", 150),
];

/** Coinbase's candle granularities. */
export const COINBASE_GRANULARITIES: Readonly<Record<string, number>> = {
  ONE_MINUTE: 60_000,
  FIVE_MINUTE: 300_000,
  FIFTEEN_MINUTE: 900_000,
  THIRTY_MINUTE: 1_800_000,
  ONE_HOUR: 3_600_000,
  TWO_HOUR: 7_200_000,
  SIX_HOUR: 21_600_000,
  ONE_DAY: 86_400_000,
};
/** Most candles one request may span. */
export const COINBASE_MAX_CANDLES = 350;
/**
 * Longest `client_order_id` the emulator takes. Coinbase documents no limit; this bound only
 * keeps runaway ids out.
 */
export const COINBASE_CLIENT_ID_MAX = 128;

/** How to start a Coinbase emulator. */
export interface CoinbaseEmulatorOptions extends VenueEmulatorOptions {
  /** Private requests per second per key (Coinbase: 30). */
  privatePerSecond?: number;
  /** Public requests per second per IP (Coinbase: 10). */
  publicPerSecond?: number;
}

/** A Coinbase Advanced Trade error answer. */
export class CoinbaseError extends Error {
  constructor(readonly status: number, readonly error: string, message: string) {
    super(message);
  }
}

/** How the order was asked for, as Coinbase echoes it back. */
interface OrderExtra {
  readonly configuration: Record<string, Record<string, unknown>>;
  readonly orderId: string;
}

const V3 = "/api/v3/brokerage";
const V2_PUBLIC = new Set([
  "/v2/currencies",
  "/v2/currencies/crypto",
  "/v2/exchange-rates",
  "/v2/time",
]);

/** A running Coinbase emulator; create it with `CoinbaseEmulator.start`. */
export class CoinbaseEmulator extends VenueEmulator {
  readonly defaultApiKey: string;
  /** The CDP key of the default account. */
  readonly defaultKey: CdpKey;
  readonly #extras = new Map<number, OrderExtra>();
  readonly #byUuid = new Map<string, number>();
  readonly #publicKeys = new Map<string, Promise<CryptoKey | null>>();
  readonly #perSecond = new WindowCounter(1000);
  readonly #privatePerSecond: number;
  readonly #publicPerSecond: number;

  private constructor(options: CoinbaseEmulatorOptions, key: CdpKey) {
    super({ feeRate: 0.006, ...options }, { symbols: COINBASE_PRODUCTS });
    this.defaultKey = key;
    this.defaultApiKey = key.apiKey;
    this.book.addAccount(key.apiKey, key.secret, options.balances ?? { USD: 10_000 });
    this.#privatePerSecond = options.privatePerSecond ?? 30;
    this.#publicPerSecond = options.publicPerSecond ?? 10;
  }

  /** Starts an emulator on 127.0.0.1 with a fresh CDP key for its default account. */
  static async start(options: CoinbaseEmulatorOptions = {}): Promise<CoinbaseEmulator> {
    return new CoinbaseEmulator(options, await generateCdpKey());
  }

  /** A new account with a fresh CDP key. */
  async newAccount(balances: Record<string, number>): Promise<CdpKey> {
    const key = await generateCdpKey();
    this.book.addAccount(key.apiKey, key.secret, balances);
    return key;
  }

  protected commissionIn(): "received" | "quote" {
    return "quote"; // Coinbase takes every fee in the quote currency
  }

  protected isSigned(headers: Headers): boolean {
    return (headers.get("authorization") ?? "").startsWith("Bearer ");
  }

  protected rateLimitResponse(_spec: FaultSpec): VenueResponse {
    return {
      status: 429,
      body: {
        error: "rate_limit_exceeded",
        error_details: "Too many requests",
        message: "Too many requests",
      },
    };
  }

  protected async route(req: VenueRequest): Promise<VenueResponse> {
    try {
      const privatePath = (req.path.startsWith("/v2/") && !V2_PUBLIC.has(req.path)) ||
        isPrivateV3(req.path);
      if (privatePath) {
        const account = await this.#authenticate(req);
        if (account === null) {
          req.record.errorCode = 401;
          return { status: 401, body: "Unauthorized", ok: false };
        }
        if (this.#perSecond.hit(account.apiKey, req.wallNowMs).count > this.#privatePerSecond) {
          throw new CoinbaseError(429, "rate_limit_exceeded", "Too many requests");
        }
        this.book.match(req.marketNowMs);
        const body = this.#private(req, account);
        return body === undefined ? { status: 404, body: undefined } : body;
      }
      if (this.#perSecond.hit(req.record.ip, req.wallNowMs).count > this.#publicPerSecond) {
        throw new CoinbaseError(429, "rate_limit_exceeded", "Too many requests");
      }
      const body = this.#public(req);
      return { status: body === undefined ? 404 : 200, body };
    } catch (e) {
      const error = e instanceof BinanceError
        ? new CoinbaseError(400, "INVALID_ARGUMENT", e.message)
        : e;
      if (!(error instanceof CoinbaseError)) throw e;
      req.record.errorCode = error.status;
      return {
        status: error.status,
        body: { error: error.error, error_details: error.message, message: error.message },
        ok: false,
      };
    }
  }

  async #authenticate(req: VenueRequest): Promise<EmulatorAccount | null> {
    const auth = req.headers.get("authorization") ?? "";
    if (!auth.startsWith("Bearer ")) return null;
    const host = req.url.host;
    // CCXT drops only an `https://` prefix from the uri claim; over loopback http it stays.
    const uris = [`${req.method} ${host}${req.path}`, `${req.method} http://${host}${req.path}`];
    const nowSec = Math.floor(this.serverTimeMs() / 1000) + (this.skewFault(req) ? 600 : 0);
    const result = await verifyJwt(auth.slice(7), (kid) => this.#publicKey(kid), nowSec, uris);
    return result.ok ? this.book.accounts.get(result.apiKey) ?? null : null;
  }

  #publicKey(apiKey: string): Promise<CryptoKey | null> {
    const account = this.book.accounts.get(apiKey);
    if (!account) return Promise.resolve(null);
    let key = this.#publicKeys.get(apiKey);
    if (!key) this.#publicKeys.set(apiKey, key = publicKeyOf(account.secret));
    return key;
  }

  // ---- public ----

  #public(req: VenueRequest): unknown {
    if (req.method !== "GET") return undefined;
    const p = new URLSearchParams(req.rawQuery);
    const path = req.path;
    if (V2_PUBLIC.has(path)) return this.#v2Public(path, req.marketNowMs);
    if (path === `${V3}/time`) {
      const ms = this.serverTimeMs();
      return {
        iso: new Date(ms).toISOString(),
        epochSeconds: String(Math.floor(ms / 1000)),
        epochMillis: String(ms),
      };
    }
    if (path === `${V3}/market/products`) return this.#products(p, req.marketNowMs);
    const m = new RegExp(`^${V3}/market/products/([A-Z0-9]+-[A-Z0-9]+)(/candles|/ticker)?$`).exec(
      path,
    );
    if (!m) return undefined;
    const spec = this.#spec(m[1]);
    if (m[2] === "/candles") return this.#candles(spec, p, req.marketNowMs);
    if (m[2] === "/ticker") return this.#ticker(spec, req.marketNowMs);
    return this.#productJson(spec, req.marketNowMs);
  }

  /** The v2 currency lists and exchange rates CCXT loads with the markets, and v2 time. */
  #v2Public(path: string, nowMs: number): unknown {
    const specs = [...this.book.symbols.values()];
    const fiat = new Set(["USD", "EUR", "GBP"]);
    const codes = [...new Set(specs.flatMap((s) => [s.baseAsset, s.quoteAsset]))];
    switch (path) {
      case "/v2/time": {
        const ms = this.serverTimeMs();
        return { data: { iso: new Date(ms).toISOString(), epoch: Math.floor(ms / 1000) } };
      }
      case "/v2/currencies":
        return {
          data: codes.filter((c) => fiat.has(c)).map((c) => ({ id: c, name: c, min_size: "0.01" })),
        };
      case "/v2/currencies/crypto":
        return {
          data: codes.filter((c) => !fiat.has(c)).map((c, i) => ({
            asset_id: crypto.randomUUID(),
            code: c,
            name: c,
            color: "#000000",
            sort_index: String(i),
            exponent: "8",
            type: "crypto",
            address_regex: "^.+$",
          })),
        };
      default: {
        const rates: Record<string, string> = {};
        for (const c of codes) {
          const s = this.book.symbols.get(`${c}USD`);
          rates[c] = c === "USD"
            ? "1"
            : s
            ? decimal(1 / this.book.priceAt(s.symbol, nowMs), 12)
            : "1";
        }
        return { data: { currency: "USD", rates } };
      }
    }
  }

  #spec(productId: string): SymbolSpec {
    const spec = this.book.symbols.get(productId.replace("-", ""));
    if (!spec || `${spec.baseAsset}-${spec.quoteAsset}` !== productId) {
      throw new CoinbaseError(404, "NOT_FOUND", "ProductID is invalid");
    }
    return spec;
  }

  #products(p: URLSearchParams, nowMs: number): unknown {
    // Only spot is emulated; futures and perpetuals list nothing.
    const spot = !p.get("product_type") || p.get("product_type") === "SPOT";
    const list = spot
      ? [...this.book.symbols.values()].map((s) => this.#productJson(s, nowMs))
      : [];
    return { products: list, num_products: list.length };
  }

  #productJson(s: SymbolSpec, nowMs: number): Record<string, unknown> {
    const price = decimal(this.book.priceAt(s.symbol, nowMs), 2);
    return {
      product_id: `${s.baseAsset}-${s.quoteAsset}`,
      price,
      price_percentage_change_24h: "0",
      volume_24h: "0",
      volume_percentage_change_24h: "0",
      base_increment: s.stepSize,
      quote_increment: "0.01",
      quote_min_size: s.minNotional,
      quote_max_size: "150000000",
      base_min_size: s.minQty,
      base_max_size: s.maxQty,
      base_name: s.baseAsset,
      quote_name: s.quoteAsset,
      watched: false,
      is_disabled: false,
      new: false,
      status: "online",
      cancel_only: false,
      limit_only: false,
      post_only: false,
      trading_disabled: false,
      auction_mode: false,
      product_type: "SPOT",
      quote_currency_id: s.quoteAsset,
      base_currency_id: s.baseAsset,
      fcm_trading_session_details: null,
      mid_market_price: "",
      alias: "",
      alias_to: [],
      base_display_symbol: s.baseAsset,
      quote_display_symbol: s.quoteAsset,
      view_only: false,
      price_increment: s.tickSize,
      display_name: `${s.baseAsset}-${s.quoteAsset}`,
      product_venue: "CBE",
      approximate_quote_24h_volume: "0",
    };
  }

  #candles(spec: SymbolSpec, p: URLSearchParams, nowMs: number): unknown {
    const granularity = p.get("granularity") ?? "";
    const ms = COINBASE_GRANULARITIES[granularity];
    if (ms === undefined) {
      throw new CoinbaseError(400, "INVALID_ARGUMENT", `Invalid granularity ${granularity}`);
    }
    const start = Number(p.get("start")) * 1000;
    const end = Number(p.get("end")) * 1000;
    if (!Number.isFinite(start) || !Number.isFinite(end) || !p.get("start") || !p.get("end")) {
      throw new CoinbaseError(400, "INVALID_ARGUMENT", "start and end are required");
    }
    const limit = p.get("limit") ? Number(p.get("limit")) : COINBASE_MAX_CANDLES;
    if ((end - start) / ms > COINBASE_MAX_CANDLES || limit > COINBASE_MAX_CANDLES) {
      throw new CoinbaseError(
        400,
        "INVALID_ARGUMENT",
        `number of candles requested should be less than ${COINBASE_MAX_CANDLES}`,
      );
    }
    const candles = this.book.source.series(spec.symbol, ms)?.candles ?? [];
    const from = lowerBound(candles, start);
    const to = lowerBound(candles, Math.min(end, nowMs + 1));
    const rows = candles.slice(from, Math.min(to, from + limit)).map((c) => {
      const k = c.openTimeMs + ms > nowMs ? partialCandle(c, ms, nowMs) : c;
      return {
        start: String(k.openTimeMs / 1000),
        low: decimal(k.low, 2),
        high: decimal(k.high, 2),
        open: decimal(k.open, 2),
        close: decimal(k.close, 2),
        volume: decimal(k.volume, 8),
      };
    });
    return { candles: rows.reverse() };
  }

  #ticker(spec: SymbolSpec, nowMs: number): unknown {
    const price = decimal(this.book.priceAt(spec.symbol, nowMs), 2);
    return {
      trades: [{
        trade_id: String(nowMs),
        product_id: `${spec.baseAsset}-${spec.quoteAsset}`,
        price,
        size: "0.001",
        time: new Date(nowMs).toISOString(),
        side: "BUY",
        exchange: "",
      }],
      best_bid: price,
      best_ask: price,
    };
  }

  // ---- private ----

  #private(req: VenueRequest, account: EmulatorAccount): VenueResponse | undefined {
    const p = new URLSearchParams(req.rawQuery);
    const key = `${req.method} ${req.path}`;
    const ok = (body: unknown): VenueResponse => ({ status: 200, body });
    if (key === "GET /v2/accounts") return ok(this.#v2Accounts(account));
    if (key === `GET ${V3}/accounts`) return ok(this.#v3Accounts(account));
    if (key === `GET ${V3}/transaction_summary`) {
      const rate = decimal(this.book.feeRate);
      return ok({
        total_volume: 0,
        total_fees: 0,
        fee_tier: {
          pricing_tier: "Advanced 1",
          usd_from: "0",
          usd_to: "1000",
          taker_fee_rate: rate,
          maker_fee_rate: rate,
        },
        advanced_trade_only_volume: 0,
        advanced_trade_only_fees: 0,
      });
    }
    if (key === `GET ${V3}/products`) return ok(this.#products(p, req.marketNowMs));
    if (key === `POST ${V3}/orders`) return this.#create(req, account);
    if (key === `POST ${V3}/orders/batch_cancel`) return ok(this.#cancel(req, account));
    if (key === `GET ${V3}/orders/historical/batch`) return ok(this.#list(p, account));
    if (key === `GET ${V3}/orders/historical/fills`) return ok(this.#fills(p, account));
    const one = new RegExp(`^GET ${V3}/orders/historical/([^/]+)$`).exec(key);
    if (one) {
      const order = this.#byId(one[1], account);
      if (!order) {
        throw new CoinbaseError(404, "NOT_FOUND", "order with this orderID was not found");
      }
      return ok({ order: this.#orderJson(order) });
    }
    return undefined;
  }

  #v3Accounts(account: EmulatorAccount): unknown {
    const list = [...account.balances.entries()].map(([currency, b]) => ({
      uuid: accountUuid(account.apiKey, currency),
      name: `${currency} Wallet`,
      currency,
      available_balance: { value: decimal(b.free), currency },
      default: true,
      active: true,
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
      deleted_at: null,
      type: currency === "USD" ? "ACCOUNT_TYPE_FIAT" : "ACCOUNT_TYPE_CRYPTO",
      ready: true,
      hold: { value: decimal(b.locked), currency },
      retail_portfolio_id: "emulator-portfolio",
    }));
    return { accounts: list, has_next: false, cursor: "", size: list.length };
  }

  /** The v2 wallet list: one balance per currency, holds included (Coinbase shows no split). */
  #v2Accounts(account: EmulatorAccount): unknown {
    const data = [...account.balances.entries()].map(([code, b]) => ({
      id: accountUuid(account.apiKey, code),
      name: `${code} Wallet`,
      primary: true,
      type: code === "USD" ? "fiat" : "wallet",
      currency: { code, name: code, type: code === "USD" ? "fiat" : "crypto" },
      balance: { amount: decimal(b.free + b.locked), currency: code },
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
      resource: "account",
      resource_path: `/v2/accounts/${accountUuid(account.apiKey, code)}`,
    }));
    return {
      pagination: { ending_before: null, starting_after: null, limit: 250, order: "desc" },
      data,
    };
  }

  #create(req: VenueRequest, account: EmulatorAccount): VenueResponse {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.rawBody);
    } catch {
      throw new CoinbaseError(400, "INVALID_ARGUMENT", "request body is not JSON");
    }
    const cid = typeof body.client_order_id === "string" ? body.client_order_id : "";
    if (cid === "" || cid.length > COINBASE_CLIENT_ID_MAX) {
      throw new CoinbaseError(400, "INVALID_ARGUMENT", "client_order_id is required");
    }
    const spec = this.#spec(String(body.product_id ?? ""));
    const side = body.side === "BUY" ? "BUY" : body.side === "SELL" ? "SELL" : null;
    if (side === null) throw new CoinbaseError(400, "INVALID_ARGUMENT", "side is invalid");
    const configuration = (body.order_configuration ?? {}) as Record<
      string,
      Record<string, unknown>
    >;
    // A reused client_order_id creates nothing: the order it named is returned.
    const existing = this.book.orders.findLast((o) =>
      o.apiKey === account.apiKey && o.clientOrderId === cid
    );
    if (existing) return { status: 200, body: this.#created(existing, configuration) };
    const failure = (error: string, reason: string, message: string): VenueResponse => ({
      status: 200,
      ok: false,
      body: {
        success: false,
        failure_reason: "UNKNOWN_FAILURE_REASON",
        order_id: "",
        error_response: {
          error,
          message,
          error_details: "",
          preview_failure_reason: reason,
          new_order_failure_reason: reason.replace("PREVIEW_", ""),
        },
        order_configuration: configuration,
      },
    });
    const [kind, conf] = Object.entries(configuration)[0] ?? [];
    const price = this.book.priceAt(spec.symbol, req.marketNowMs);
    let quantity: number;
    let type: string;
    let limitPrice: number | null = null;
    let stopPrice: number | null = null;
    if (kind === "market_market_ioc") {
      type = "MARKET";
      if (conf.quote_size !== undefined) {
        const quote = Number(conf.quote_size);
        if (quote < Number(spec.minNotional)) {
          return failure(
            "INVALID_ARGUMENT",
            "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL",
            `quote_size is below the minimum ${spec.minNotional}`,
          );
        }
        quantity = floorToStep(quote / price, Number(spec.stepSize));
      } else quantity = Number(conf.base_size);
    } else if (kind === "limit_limit_gtc") {
      type = "LIMIT";
      quantity = Number(conf.base_size);
      limitPrice = Number(conf.limit_price);
    } else if (kind === "stop_limit_stop_limit_gtc") {
      quantity = Number(conf.base_size);
      limitPrice = Number(conf.limit_price);
      stopPrice = Number(conf.stop_price);
      const up = conf.stop_direction === "STOP_DIRECTION_STOP_UP";
      type = (side === "BUY") === up ? "STOP_LOSS_LIMIT" : "TAKE_PROFIT_LIMIT";
    } else {
      return failure(
        "UNSUPPORTED_ORDER_CONFIGURATION",
        "PREVIEW_INVALID_ORDER_CONFIG",
        `order configuration ${kind} is not supported`,
      );
    }
    if (!(quantity > 0)) {
      return failure("INVALID_ARGUMENT", "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL", "size is zero");
    }
    if (quantity < Number(spec.minQty)) {
      return failure(
        "INVALID_ARGUMENT",
        "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL",
        `base_size is below the minimum ${spec.minQty}`,
      );
    }
    if (quantity * (limitPrice ?? price) < Number(spec.minNotional)) {
      return failure(
        "INVALID_ARGUMENT",
        "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL",
        `order value is below the minimum ${spec.minNotional} ${spec.quoteAsset}`,
      );
    }
    if (this.fundsFault(req)) {
      return failure(
        "INSUFFICIENT_FUND",
        "PREVIEW_INSUFFICIENT_FUND",
        "Insufficient balance in source account",
      );
    }
    let placed: EmulatorOrder;
    try {
      placed = this.book.place(account, {
        symbol: spec.symbol,
        side,
        type,
        quantity,
        price: limitPrice,
        stopPrice,
        timeInForce: type === "MARKET" ? "IOC" : "GTC",
        clientOrderId: cid,
      }, req.marketNowMs);
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      if (e.code === -2010) {
        return failure(
          "INSUFFICIENT_FUND",
          "PREVIEW_INSUFFICIENT_FUND",
          "Insufficient balance in source account",
        );
      }
      return failure("INVALID_ARGUMENT", "PREVIEW_INVALID_SIZE_PRECISION", e.message);
    }
    const orderId = crypto.randomUUID();
    this.#extras.set(placed.orderId, { configuration, orderId });
    this.#byUuid.set(orderId, placed.orderId);
    return { status: 200, body: this.#created(placed, configuration) };
  }

  #created(o: EmulatorOrder, configuration: unknown): Record<string, unknown> {
    const id = this.#uuid(o);
    return {
      success: true,
      failure_reason: "UNKNOWN_FAILURE_REASON",
      order_id: id,
      success_response: {
        order_id: id,
        product_id: this.#productId(o.symbol),
        side: o.side,
        client_order_id: o.clientOrderId,
      },
      order_configuration: configuration,
    };
  }

  /** Coinbase's order id (a UUID) of a book order. */
  override exchangeOrderId(order: EmulatorOrder): string {
    return this.#uuid(order);
  }

  #uuid(o: EmulatorOrder): string {
    let extra = this.#extras.get(o.orderId);
    if (!extra) {
      // An order placed through the control API (a person on the web).
      const configuration = {
        [o.type === "MARKET" ? "market_market_ioc" : "limit_limit_gtc"]: {
          base_size: decimal(o.origQty),
          ...(o.type === "MARKET" ? {} : { limit_price: decimal(o.price) }),
        },
      };
      extra = { configuration, orderId: crypto.randomUUID() };
      this.#extras.set(o.orderId, extra);
      this.#byUuid.set(extra.orderId, o.orderId);
    }
    return extra.orderId;
  }

  #productId(symbol: string): string {
    const s = this.book.symbols.get(symbol)!;
    return `${s.baseAsset}-${s.quoteAsset}`;
  }

  #byId(uuid: string, account: EmulatorAccount): EmulatorOrder | null {
    const id = this.#byUuid.get(uuid);
    const order = id === undefined ? undefined : this.book.orders.find((o) => o.orderId === id);
    return order && order.apiKey === account.apiKey ? order : null;
  }

  #cancel(req: VenueRequest, account: EmulatorAccount): unknown {
    let ids: unknown;
    try {
      ids = (JSON.parse(req.rawBody) as { order_ids?: unknown }).order_ids;
    } catch {
      ids = undefined;
    }
    if (!Array.isArray(ids) || ids.length === 0) {
      throw new CoinbaseError(400, "INVALID_ARGUMENT", "order_ids is required");
    }
    const results = ids.map((id) => {
      const order = typeof id === "string" ? this.#byId(id, account) : null;
      if (!order) {
        return { success: false, failure_reason: "UNKNOWN_CANCEL_ORDER", order_id: String(id) };
      }
      if (!isOpen(order)) {
        return { success: false, failure_reason: "DUPLICATE_CANCEL_REQUEST", order_id: id };
      }
      this.book.cancel(account, order, req.marketNowMs);
      return { success: true, failure_reason: "UNKNOWN_CANCEL_FAILURE_REASON", order_id: id };
    });
    return { results };
  }

  #list(p: URLSearchParams, account: EmulatorAccount): unknown {
    const products = [...p.getAll("product_ids"), ...p.getAll("product_id")];
    for (const id of products) this.#spec(id);
    const statuses = p.getAll("order_status");
    if (statuses.includes("OPEN") && statuses.length > 1) {
      throw new CoinbaseError(400, "INVALID_ARGUMENT", "OPEN cannot be paired with other statuses");
    }
    const from = p.get("start_date") ? Date.parse(p.get("start_date")!) : -Infinity;
    const to = p.get("end_date") ? Date.parse(p.get("end_date")!) : Infinity;
    const limit = Math.min(Number(p.get("limit") ?? 100), 1000);
    const rows = this.book.orders.filter((o) =>
      o.apiKey === account.apiKey &&
      (products.length === 0 || products.includes(this.#productId(o.symbol))) &&
      (statuses.length === 0 || statuses.includes(coinbaseStatus(o))) &&
      o.timeMs >= from && o.timeMs <= to
    ).reverse();
    const { page, next } = cursorPage(rows, p.get("cursor"), limit);
    return {
      orders: page.map((o) => this.#orderJson(o)),
      sequence: "0",
      has_next: next !== "",
      cursor: next,
    };
  }

  #orderJson(o: EmulatorOrder): Record<string, unknown> {
    const id = this.#uuid(o);
    const configuration = this.#extras.get(o.orderId)!.configuration;
    const fees = this.book.trades.filter((t) => t.orderId === o.orderId)
      .reduce((sum, t) => sum + t.commission, 0);
    const market = o.type === "MARKET";
    const stop = o.type.startsWith("STOP") || o.type.startsWith("TAKE");
    const trades = this.book.trades.filter((t) => t.orderId === o.orderId);
    return {
      order_id: id,
      product_id: this.#productId(o.symbol),
      user_id: "emulator-user",
      order_configuration: configuration,
      side: o.side,
      client_order_id: o.clientOrderId,
      status: coinbaseStatus(o),
      time_in_force: market ? "IMMEDIATE_OR_CANCEL" : "GOOD_UNTIL_CANCELLED",
      created_time: new Date(o.timeMs).toISOString(),
      completion_percentage: decimal(o.executedQty / o.origQty * 100, 2),
      filled_size: decimal(o.executedQty),
      average_filled_price: o.executedQty > 0 ? decimal(o.cumQuote / o.executedQty, 8) : "0",
      fee: "",
      number_of_fills: String(trades.length),
      filled_value: decimal(o.cumQuote, 8),
      pending_cancel: false,
      size_in_quote: "quote_size" in (configuration.market_market_ioc ?? {}),
      total_fees: decimal(fees, 8),
      size_inclusive_of_fees: false,
      total_value_after_fees: decimal(o.cumQuote + (o.side === "BUY" ? fees : -fees), 8),
      trigger_status: stop
        ? (o.triggered ? "STOP_TRIGGERED" : "STOP_PENDING")
        : "INVALID_ORDER_TYPE",
      order_type: market ? "MARKET" : stop ? "STOP_LIMIT" : "LIMIT",
      reject_reason: "REJECT_REASON_UNSPECIFIED",
      settled: !isOpen(o),
      product_type: "SPOT",
      reject_message: "",
      cancel_message: o.status === "CANCELED" ? "User requested cancel" : "",
      order_placement_source: "RETAIL_ADVANCED",
      outstanding_hold_amount: decimal(o.lockedAmount),
      is_liquidation: false,
      last_fill_time: trades.length > 0 ? new Date(trades.at(-1)!.timeMs).toISOString() : null,
      edit_history: [],
      leverage: "",
      margin_type: "UNKNOWN_MARGIN_TYPE",
      retail_portfolio_id: "emulator-portfolio",
    };
  }

  #fills(p: URLSearchParams, account: EmulatorAccount): unknown {
    const products = [...p.getAll("product_ids"), ...p.getAll("product_id")];
    const orderIds = [...p.getAll("order_ids"), ...p.getAll("order_id")];
    const from = p.get("start_sequence_timestamp")
      ? Date.parse(p.get("start_sequence_timestamp")!)
      : -Infinity;
    const to = p.get("end_sequence_timestamp")
      ? Date.parse(p.get("end_sequence_timestamp")!)
      : Infinity;
    const limit = Math.min(Number(p.get("limit") ?? 100), 1000);
    const rows = this.book.trades.filter((t) =>
      t.apiKey === account.apiKey &&
      (products.length === 0 || products.includes(this.#productId(t.symbol))) &&
      (orderIds.length === 0 || orderIds.some((id) => this.#byUuid.get(id) === t.orderId)) &&
      t.timeMs >= from && t.timeMs <= to
    ).reverse();
    const { page, next } = cursorPage(rows, p.get("cursor"), limit);
    return { fills: page.map((t) => this.#fillJson(t)), cursor: next };
  }

  #fillJson(t: EmulatorTrade): Record<string, unknown> {
    const order = this.book.orders.find((o) => o.orderId === t.orderId)!;
    const time = new Date(t.timeMs).toISOString();
    return {
      entry_id: String(t.id),
      trade_id: String(t.id),
      order_id: this.#uuid(order),
      trade_time: time,
      trade_type: "FILL",
      price: decimal(t.price, 8),
      size: decimal(t.qty),
      commission: decimal(t.commission, 8),
      product_id: this.#productId(t.symbol),
      sequence_timestamp: time,
      liquidity_indicator: t.isMaker ? "MAKER" : "TAKER",
      size_in_quote: false,
      user_id: "emulator-user",
      side: t.isBuyer ? "BUY" : "SELL",
      retail_portfolio_id: "emulator-portfolio",
    };
  }
}

function isPrivateV3(path: string): boolean {
  return path.startsWith(`${V3}/`) && !path.startsWith(`${V3}/market/`) &&
    path !== `${V3}/time`;
}

/** Coinbase's status of a book order. */
function coinbaseStatus(o: EmulatorOrder): string {
  switch (o.status) {
    case "NEW":
    case "PARTIALLY_FILLED":
      return "OPEN";
    case "FILLED":
      return "FILLED";
    case "EXPIRED":
      return o.type === "MARKET" ? "CANCELLED" : "EXPIRED";
    default:
      return "CANCELLED";
  }
}

/** A stable per-account, per-currency uuid-shaped id. */
function accountUuid(apiKey: string, currency: string): string {
  let h = 0;
  for (const c of `${apiKey}:${currency}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const hex = h.toString(16).padStart(8, "0");
  return `${hex}-0000-4000-8000-${hex}${currency.padEnd(4, "0").slice(0, 4)}`.toLowerCase();
}
