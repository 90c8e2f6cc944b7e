/**
 * A loopback Kraken spot REST emulator that CCXT's real `kraken` class talks to unchanged
 * (`KRAKEN_API_URL`). It shares the matching book, clock, candle files, faults and control API
 * with the Binance emulator, and speaks Kraken: `/0/public/*` GETs, signed `/0/private/*` POSTs
 * (API-Key, API-Sign, growing nonce), `{"error": [...], "result": ...}` bodies, the 720-candle
 * OHLC window, `ordermin`/`costmin`, `cl_ord_id` rules and Kraken's rate-limit errors.
 * Tests drive it through `EmulatorControl`, in-process or over HTTP under `/__control/`.
 */
import { CandleSource } from "./candle_source.ts";
import {
  type AssetBalance,
  type EmulatorAccount,
  EmulatorBook,
  type EmulatorOrder,
  type EndedStatus,
  generatedClientOrderId,
} from "./emulator_book.ts";
import { EmulatorClock, intervalMs } from "./emulator_clock.ts";
import {
  controlResponse,
  type EmulatorControl,
  type EmulatorState,
  type ManualOrder,
  type OrderView,
  type RequestRecord,
  type TradeView,
} from "./emulator_control.ts";
import type { BookDepth } from "./emulator_depth.ts";
import * as faultResponses from "./emulator_fault_responses.ts";
import { type FaultKind, FaultQueue, type FaultSpec } from "./emulator_faults.ts";
import { HiddenOrders } from "./emulator_hidden_orders.ts";
import type { IpUsage } from "./emulator_weights.ts";
import { authenticateKraken, KrakenError, NonceLedger } from "./kraken_emulator_auth.ts";
import { KrakenLimits, privateCallCost } from "./kraken_emulator_limits.ts";
import {
  bookSpec,
  KRAKEN_ASSETS,
  KRAKEN_MAKER_RATE,
  KRAKEN_PAIRS,
  KRAKEN_TAKER_RATE,
  type KrakenAsset,
  type KrakenPair,
} from "./kraken_emulator_markets.ts";
import {
  type KrakenBody,
  type KrakenContext,
  krakenPrivate,
  krakenPublic,
  type OrderTags,
  txidOf,
} from "./kraken_emulator_routes.ts";

/** API key of the default account. */
export const KRAKEN_EMULATOR_API_KEY = "kraken-emulator-key";
/** Secret of the default account: base64, as Kraken's secrets are. */
export const KRAKEN_EMULATOR_API_SECRET = btoa("kraken-emulator-secret-0123456789abcdef");
/** Default market time: 2023-03-15 00:30 UTC, inside the bundled Kraken BTC/USD candles. */
export const KRAKEN_DEFAULT_START_MS = Date.UTC(2023, 2, 15, 0, 30);

/** How to start a Kraken emulator. */
export interface KrakenEmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  startMs?: number;
  speed?: number;
  /** Free balances of the default account by Kraken asset id (default 10 000 ZUSD). */
  balances?: Record<string, number>;
  /** Taker and maker fee rates (default Kraken's lowest tier: 0.40 % and 0.25 %). */
  takerFeeRate?: number;
  makerFeeRate?: number;
  pairs?: readonly KrakenPair[];
  /** Directory with `kraken_<BASE>-<QUOTE>_<tf>.csv` files (default `data/samples/`). */
  dataDir?: URL;
  /** Private API counter maximum (starter tier 15) and its decay a second (0.33). */
  counterMax?: number;
  decayPerSec?: number;
  /** Public calls an IP may burst (default 20; one more each second). */
  publicBurst?: number;
  maxRequestLog?: number;
}

const PRE_FAULTS: ReadonlySet<FaultKind> = new Set([
  "rate_limit",
  "ban",
  "http_error",
  "hang",
  "drop",
]);
const POST_FAULTS: ReadonlySet<FaultKind> = new Set([
  "lose_response",
  "malformed_json",
  "executed_http_error",
]);
const HIDE: ReadonlySet<FaultKind> = new Set(["visible_after"]);
const SKEW: ReadonlySet<FaultKind> = new Set(["clock_skew"]);
const FUNDS: ReadonlySet<FaultKind> = new Set(["insufficient_balance"]);
const PUBLIC = "/0/public/";
const PRIVATE = "/0/private/";

/** A running Kraken emulator; `url` is its base, e.g. `http://127.0.0.1:41234`. */
export class KrakenEmulator implements EmulatorControl, AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly clock: EmulatorClock;
  readonly book: EmulatorBook;
  readonly pairs: readonly KrakenPair[];
  readonly assets: readonly KrakenAsset[];
  readonly limits: KrakenLimits;
  /** Each order's `cl_ord_id` and `userref`, by the book's order id. */
  readonly tags = new Map<number, OrderTags>();
  readonly #faults = new FaultQueue();
  readonly #hidden = new HiddenOrders();
  readonly #nonces = new NonceLedger();
  readonly #log: RequestRecord[] = [];
  readonly #maxLog: number;
  #nextRequestId = 1;
  readonly #closing = new AbortController();
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  #serverTimeOffsetMs = 0;

  constructor(options: KrakenEmulatorOptions = {}) {
    this.clock = new EmulatorClock(options.startMs ?? KRAKEN_DEFAULT_START_MS, {
      speed: options.speed,
    });
    this.pairs = options.pairs ?? KRAKEN_PAIRS;
    this.assets = Object.values(KRAKEN_ASSETS);
    const specs = new Map(this.pairs.map((p) => [p.bookSymbol, bookSpec(p)]));
    this.book = new EmulatorBook(specs, new CandleSource(options.dataDir, "kraken"), {
      feeRate: options.takerFeeRate ?? KRAKEN_TAKER_RATE,
      makerFeeRate: options.makerFeeRate ?? KRAKEN_MAKER_RATE,
      commissionIn: "quote",
      tickPrices: true,
    });
    this.book.addAccount(
      KRAKEN_EMULATOR_API_KEY,
      KRAKEN_EMULATOR_API_SECRET,
      options.balances ?? { ZUSD: 10_000 },
    );
    this.limits = new KrakenLimits(options);
    this.#maxLog = options.maxRequestLog ?? 200_000;
    this.#server = Deno.serve({
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      signal: this.#closing.signal,
      onListen: () => {},
      onError: () => new Response(null, { status: 500 }),
    }, (req, info) => this.#handle(req, info));
    this.port = this.#server.addr.port;
    this.url = `http://127.0.0.1:${this.port}`;
  }

  /** Resolves when the server has stopped. */
  get finished(): Promise<void> {
    return this.#server.finished;
  }

  /** Stops serving; hanging requests are released. */
  async close(): Promise<void> {
    if (!this.#closing.signal.aborted) this.#closing.abort();
    await this.#server.finished;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #handle(req: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname.startsWith("/__control/")) {
      return controlResponse(this, url.pathname.slice("/__control/".length), req);
    }
    const isPrivate = url.pathname.startsWith(PRIVATE);
    const rawBody = req.method === "POST" ? await req.text() : "";
    const params = new URLSearchParams(isPrivate ? rawBody : url.search.slice(1));
    const record = this.#record(req, url.pathname, params, info.remoteAddr.hostname);
    const wallNowMs = Date.now();
    const pre = this.#faults.take(req.method, record.path, PRE_FAULTS, wallNowMs, record.params);
    if (pre) return await this.#preFault(pre, record, isPrivate);
    if (!isPrivate && !this.limits.addPublic(record.ip, wallNowMs)) {
      return this.#error(record, new KrakenError("EGeneral:Too many requests", 429));
    }
    const { status, body } = await this.#route(req, record, params, rawBody, isPrivate);
    record.status = status;
    if (status === 200 && body?.error.length === 0) this.#hideIfAsked(record, body, wallNowMs);
    const post = status === 200 && body?.error.length === 0
      ? this.#faults.take(req.method, record.path, POST_FAULTS, wallNowMs, record.params)
      : null;
    if (post?.kind === "malformed_json") {
      record.fault = post.kind;
      return faultResponses.malformedJsonResponse(body, new Headers());
    }
    if (post?.kind === "executed_http_error") {
      [record.fault, record.status] = [post.kind, post.status ?? 502];
      return faultResponses.htmlErrorResponse(record.status);
    }
    if (post) {
      record.fault = post.kind;
      record.status = 0;
      if (post.then === "hang") await faultResponses.hang(post, [this.#closing.signal]);
      return faultResponses.droppedResponse();
    }
    if (body === undefined) {
      return Response.json({ error: ["EGeneral:Unknown method"] }, { status: 404 });
    }
    return Response.json(body, { status });
  }

  #error(record: RequestRecord, e: KrakenError): Response {
    record.status = e.httpStatus;
    record.error = e.message;
    return Response.json({ error: [e.message] }, { status: e.httpStatus });
  }

  /** A `visible_after` fault hides the order this AddOrder just made. */
  #hideIfAsked(record: RequestRecord, body: KrakenBody, wallNowMs: number): void {
    if (record.path !== `${PRIVATE}AddOrder`) return;
    const txid = (body.result as { txid?: string[] } | undefined)?.txid?.[0];
    const order = txid ? this.book.orders.find((o) => txidOf(o.orderId) === txid) : undefined;
    if (!order) return;
    const spec = this.#faults.take(record.method, record.path, HIDE, wallNowMs, record.params);
    if (spec === null) return;
    this.#hidden.hide(order.orderId, this.clock.nowMs() + (spec.visibleAfterMs ?? 30_000));
  }

  #record(req: Request, path: string, params: URLSearchParams, ip: string): RequestRecord {
    const plain: Record<string, string> = {};
    for (const [k, v] of params) plain[k] = v;
    const record: RequestRecord = {
      id: this.#nextRequestId++,
      wallTimeMs: Date.now(),
      marketTimeMs: this.clock.nowMs(),
      method: req.method,
      path,
      params: plain,
      signed: req.headers.has("api-sign"),
      hasApiKey: req.headers.has("api-key"),
      ip,
      weight: path.startsWith(PRIVATE) ? privateCallCost(path.slice(PRIVATE.length)) : 1,
      status: 0,
      errorCode: null,
      fault: null,
    };
    this.#log.push(record);
    if (this.#log.length > this.#maxLog) this.#log.splice(0, this.#log.length - this.#maxLog);
    return record;
  }

  async #route(
    req: Request,
    record: RequestRecord,
    params: URLSearchParams,
    rawBody: string,
    isPrivate: boolean,
  ): Promise<{ status: number; body: KrakenBody | undefined }> {
    const wallNowMs = Date.now();
    const ctx: KrakenContext = {
      book: this.book,
      pairs: this.pairs,
      assets: this.assets,
      marketNowMs: this.clock.nowMs(),
      wallNowMs: wallNowMs + this.#serverTimeOffsetMs,
      tags: this.tags,
      hidden: this.#hidden,
      insufficientBalanceFault: () => {
        const hit =
          this.#faults.take(req.method, record.path, FUNDS, wallNowMs, record.params) !== null;
        if (hit) record.fault = "insufficient_balance";
        return hit;
      },
    };
    try {
      if (!isPrivate) {
        if (req.method !== "GET" || !record.path.startsWith(PUBLIC)) {
          return { status: 404, body: undefined };
        }
        const body = krakenPublic(record.path.slice(PUBLIC.length), params, ctx);
        return { status: body === undefined ? 404 : 200, body };
      }
      if (req.method !== "POST") return { status: 404, body: undefined };
      const method = record.path.slice(PRIVATE.length);
      const skew = this.#faults.take(req.method, record.path, SKEW, wallNowMs, record.params);
      if (skew) record.fault = "clock_skew";
      const account = await authenticateKraken(
        {
          path: record.path,
          apiKey: req.headers.get("api-key"),
          apiSign: req.headers.get("api-sign"),
          rawBody,
          params,
        },
        this.book.accounts,
        this.#nonces,
        skew !== null,
      );
      if (!this.limits.addPrivate(account.apiKey, privateCallCost(method), wallNowMs)) {
        throw new KrakenError("EAPI:Rate limit exceeded");
      }
      const body = krakenPrivate(method, params, account, ctx);
      return { status: body === undefined ? 404 : 200, body };
    } catch (e) {
      if (!(e instanceof KrakenError)) throw e;
      record.error = e.message;
      return { status: e.httpStatus, body: { error: [e.message] } };
    }
  }

  async #preFault(spec: FaultSpec, record: RequestRecord, isPrivate: boolean) {
    record.fault = spec.kind;
    switch (spec.kind) {
      case "rate_limit": {
        // The API counter's refusal for private calls, the per-IP one for public calls.
        const e = isPrivate
          ? new KrakenError(
            record.path.endsWith("/AddOrder")
              ? "EOrder:Rate limit exceeded"
              : "EAPI:Rate limit exceeded",
          )
          : new KrakenError("EGeneral:Too many requests", 429);
        return this.#error(record, e);
      }
      case "ban":
        return this.#error(record, new KrakenError("EGeneral:Temporary lockout"));
      case "http_error":
        record.status = spec.status ?? 502;
        return faultResponses.htmlErrorResponse(record.status);
      case "hang":
        await faultResponses.hang(spec, [this.#closing.signal]);
        return faultResponses.droppedResponse();
      default:
        return faultResponses.droppedResponse();
    }
  }

  // ---- EmulatorControl ----

  state(): EmulatorState {
    return {
      marketTimeMs: this.clock.nowMs(),
      speed: this.clock.speed,
      serverTimeMs: Date.now() + this.#serverTimeOffsetMs,
      serverTimeOffsetMs: this.#serverTimeOffsetMs,
      weightLimit: this.limits.counterMax,
    };
  }
  setTime(marketTimeMs: number): void {
    this.clock.set(marketTimeMs);
  }
  advance(ms: number): void {
    this.clock.advance(ms);
  }
  advanceCandles(count: number, timeframe: string): void {
    const ms = intervalMs(timeframe);
    if (ms === null) throw new Error(`unknown timeframe ${timeframe}`);
    this.clock.advanceCandles(count, ms);
  }
  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
  }
  /** Shifts `/0/public/Time` against the wall clock (Kraken checks nonces, not timestamps). */
  setServerTimeOffset(offsetMs: number): void {
    this.#serverTimeOffsetMs = offsetMs;
  }
  addFault(spec: FaultSpec): number {
    return this.#faults.add(spec, Date.now());
  }
  clearFaults(): void {
    this.#faults.clear();
  }
  faults() {
    return this.#faults.list(Date.now());
  }
  requests(sinceId = 0): RequestRecord[] {
    return this.#log.filter((r) => r.id > sinceId);
  }
  clearRequests(): void {
    this.#log.length = 0;
  }
  /** Orders; `clientOrderId` is the order's `cl_ord_id` (or the book's own id without one). */
  orders(): OrderView[] {
    this.book.match(this.clock.nowMs());
    return this.book.orders.map((o) => this.#orderView(o));
  }
  trades(): TradeView[] {
    return this.book.trades.map(({ apiKey: _k, quoteQty: _q, isMaker: _m, ...t }) => t);
  }
  /** Balances by Kraken asset id (`XXBT`, `ZUSD`). */
  balances(apiKey?: string | null): Record<string, AssetBalance> {
    this.book.match(this.clock.nowMs());
    const account = this.book.accounts.get(apiKey ?? KRAKEN_EMULATOR_API_KEY);
    return Object.fromEntries([...(account?.balances ?? [])].map(([k, v]) => [k, { ...v }]));
  }
  setBalance(asset: string, free: number, apiKey?: string | null): void {
    this.book.balance(this.#account(apiKey), asset).free = free;
  }
  /** Adds an account; `secret` must be base64, as Kraken's are. */
  addAccount(apiKey: string, secret: string, balances: Record<string, number>): void {
    this.book.addAccount(apiKey, secret, balances);
  }
  /** Sets the private API counter's maximum. */
  setWeightLimit(limit: number): void {
    this.limits.counterMax = limit;
  }
  patchCandle(
    symbol: string,
    timeframe: string,
    openTimeMs: number,
    values: Record<string, number>,
  ): void {
    const ms = intervalMs(timeframe);
    if (ms === null || !this.book.source.patch(symbol, ms, openTimeMs, values)) {
      throw new Error(`no ${symbol} ${timeframe} candle at ${openTimeMs}`);
    }
  }
  /** Kraken sends no usage headers; calls refused by the counters show as `rejected429`. */
  weightUsage(): IpUsage[] {
    const requests = this.#log.length;
    return [{
      ip: "127.0.0.1",
      usedWeight1m: 0,
      maxWeight1m: 0,
      maxRequests1s: 0,
      requests,
      rejected429: this.limits.rejected,
    }];
  }
  resetWeights(): void {
    this.limits.reset();
  }
  /** `order.symbol` is the book's symbol (`BTCUSD`). */
  placeOrder(order: ManualOrder, apiKey?: string): OrderView {
    const nowMs = this.clock.nowMs();
    this.book.match(nowMs);
    const clientOrderId = order.clientOrderId ?? generatedClientOrderId();
    const placed = this.book.place(this.#account(apiKey), {
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      quantity: order.quantity,
      price: order.price ?? null,
      stopPrice: order.stopPrice ?? null,
      timeInForce: null,
      clientOrderId,
    }, nowMs);
    this.tags.set(placed.orderId, { clOrdId: order.clientOrderId ?? null, userref: null });
    return this.#orderView(placed);
  }
  expireOrder(clientOrderId: string, status?: EndedStatus, apiKey?: string): OrderView {
    const nowMs = this.clock.nowMs();
    this.book.match(nowMs);
    const account = this.#account(apiKey);
    const order = this.book.orders.findLast((o) =>
      o.apiKey === account.apiKey && this.#clientId(o) === clientOrderId
    );
    return this.#orderView(this.book.cancel(account, order ?? null, nowMs, status ?? "EXPIRED"));
  }
  setDepth(symbol: string, depth: BookDepth | null): void {
    this.book.match(this.clock.nowMs());
    this.book.setDepth(symbol, depth);
  }

  /** Kraken's txid of an order of the book. */
  txid(orderId: number): string {
    return txidOf(orderId);
  }

  #clientId(o: EmulatorOrder): string {
    return this.tags.get(o.orderId)?.clOrdId ?? o.clientOrderId;
  }

  #orderView(
    o: EmulatorOrder,
  ): OrderView {
    const {
      apiKey: _k,
      lockedAsset: _a,
      lockedAmount: _l,
      checkedFromMs: _c,
      triggered: _t,
      ...rest
    } = o;
    return { ...rest, clientOrderId: this.#clientId(o) };
  }

  #account(apiKey?: string | null): EmulatorAccount {
    const account = this.book.accounts.get(apiKey ?? KRAKEN_EMULATOR_API_KEY);
    if (!account) throw new Error(`unknown api key`);
    return account;
  }
}
