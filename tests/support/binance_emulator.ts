/**
 * A loopback Binance spot REST emulator that CCXT's real `binance` class talks to unchanged.
 * Tests drive it through `EmulatorControl`, in-process or over HTTP under `/__control/`.
 */
import { CandleSource } from "./candle_source.ts";
import { authenticate } from "./emulator_auth.ts";
import {
  type AssetBalance,
  BinanceError,
  type EmulatorAccount,
  EmulatorBook,
  type EmulatorOrder,
  type EndedStatus,
  generatedClientOrderId,
} from "./emulator_book.ts";
import { EmulatorClock, intervalMs } from "./emulator_clock.ts";
import type {
  EmulatorControl,
  EmulatorState,
  ManualOrder,
  OrderView,
  RequestRecord,
  TradeView,
} from "./emulator_control.ts";
import type { BookDepth } from "./emulator_depth.ts";
import { controlResponse } from "./emulator_control.ts";
import * as faultResponses from "./emulator_fault_responses.ts";
import { type FaultKind, FaultQueue, type FaultSpec } from "./emulator_faults.ts";
import { HiddenOrders } from "./emulator_hidden_orders.ts";
import { DEFAULT_SYMBOLS, type SymbolSpec } from "./emulator_markets.ts";
import { privateRoute } from "./emulator_private_routes.ts";
import { publicRoute } from "./emulator_public_routes.ts";
import { requestWeight, WeightCounter } from "./emulator_weights.ts";
import { EmulatorStreams } from "./emulator_ws.ts";

/** API key of the default account. */
export const EMULATOR_API_KEY = "emulator-test-key";
/** Secret of the default account. */
export const EMULATOR_API_SECRET = "emulator-test-secret";
/** Default market time: 2024-08-01 00:30 UTC, inside the bundled BTC/USDT 1h data. */
export const EMULATOR_DEFAULT_START_MS = Date.UTC(2024, 7, 1, 0, 30);

/** How to start an emulator. */
export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  startMs?: number;
  speed?: number;
  /** REQUEST_WEIGHT per minute per IP (Binance: 6000). */
  weightLimit?: number;
  /** Free balances of the default account (default 10 000 USDT). */
  balances?: Record<string, number>;
  feeRate?: number;
  commissionIn?: "received" | "quote";
  symbols?: readonly SymbolSpec[];
  /** Directory with `binance_<BASE>-<QUOTE>_<tf>.csv` files (default `data/samples/`). */
  dataDir?: URL;
  /** Requests kept in the log; the oldest are dropped beyond (default 200 000). */
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
const SIGNED_PATHS = new Set([
  "/api/v3/account",
  "/api/v3/order",
  "/api/v3/order/test",
  "/api/v3/openOrders",
  "/api/v3/allOrders",
  "/api/v3/myTrades",
]);

/** Starts an emulator on 127.0.0.1. */
export function startBinanceEmulator(options: EmulatorOptions = {}): Promise<BinanceEmulator> {
  return Promise.resolve(new BinanceEmulator(options));
}

/** A running emulator; `url` is its base, e.g. `http://127.0.0.1:41234`. */
export class BinanceEmulator implements EmulatorControl, AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly clock: EmulatorClock;
  readonly book: EmulatorBook;
  /** Kline streams over WebSocket (`/ws`, `/stream`); `streams.drop()` cuts them. */
  readonly streams: EmulatorStreams;
  readonly #faults = new FaultQueue();
  readonly #hidden = new HiddenOrders();
  readonly #weights: WeightCounter;
  readonly #log: RequestRecord[] = [];
  readonly #maxLog: number;
  #nextRequestId = 1;
  readonly #closing = new AbortController();
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  #serverTimeOffsetMs = 0;

  constructor(options: EmulatorOptions = {}) {
    this.clock = new EmulatorClock(options.startMs ?? EMULATOR_DEFAULT_START_MS, {
      speed: options.speed,
    });
    const symbols = new Map((options.symbols ?? DEFAULT_SYMBOLS).map((s) => [s.symbol, s]));
    this.book = new EmulatorBook(symbols, new CandleSource(options.dataDir), options);
    this.book.addAccount(
      EMULATOR_API_KEY,
      EMULATOR_API_SECRET,
      options.balances ?? { USDT: 10_000 },
    );
    this.streams = new EmulatorStreams(this.book, this.clock);
    this.#weights = new WeightCounter(options.weightLimit ?? 6000);
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
    this.streams.close();
    if (!this.#closing.signal.aborted) this.#closing.abort();
    await this.#server.finished;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #serverTimeMs(): number {
    return Date.now() + this.#serverTimeOffsetMs;
  }

  async #handle(req: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Promise<Response> {
    const url = new URL(req.url);
    const stream = this.streams.handle(req, url);
    if (stream) return stream;
    if (url.pathname.startsWith("/__control/")) {
      return controlResponse(this, url.pathname.slice("/__control/".length), req);
    }
    const rawQuery = url.search.slice(1);
    const rawBody = req.method === "GET" || req.method === "DELETE" ? "" : await req.text();
    const params = new URLSearchParams(rawQuery);
    for (const [k, v] of new URLSearchParams(rawBody)) params.append(k, v);
    const record = this.#record(req, url.pathname, params, info.remoteAddr.hostname);
    const headers = new Headers({ "content-type": "application/json;charset=UTF-8" });
    const wallNowMs = Date.now();
    const usage = this.#weights.add(record.ip, record.weight, wallNowMs);
    headers.set("X-MBX-USED-WEIGHT-1M", String(usage.used));
    headers.set("X-MBX-USED-WEIGHT", String(usage.used));
    if (usage.over) {
      [record.status, record.errorCode] = [429, -1003];
      return faultResponses.rateLimitResponse(usage.retryAfterSec, this.#weights.limit, headers);
    }
    const pre = this.#faults.take(req.method, record.path, PRE_FAULTS, wallNowMs, record.params);
    if (pre) return await this.#preFault(pre, record, headers);
    const { status, body } = await this.#route(req, record, params, rawQuery, rawBody);
    record.status = status;
    if (status === 200) this.#hideIfAsked(record, body, wallNowMs);
    const post = status === 200
      ? this.#faults.take(req.method, record.path, POST_FAULTS, wallNowMs, record.params)
      : null;
    if (post?.kind === "malformed_json") {
      record.fault = post.kind;
      return faultResponses.malformedJsonResponse(body, headers);
    }
    if (post?.kind === "executed_http_error") {
      [record.fault, record.status] = [post.kind, post.status ?? 502];
      return faultResponses.htmlErrorResponse(record.status);
    }
    if (post) return await this.#loseResponse(post, record);
    if (body === undefined) {
      return new Response("", { status: 404, headers: { "content-type": "text/html" } });
    }
    const seen = status === 200
      ? this.#hidden.view(req.method, record.path, body, this.clock.nowMs())
      : { status, body };
    if (seen.status !== status) [record.status, record.errorCode] = [seen.status, -2013];
    return Response.json(seen.body, { status: seen.status, headers });
  }

  /** A `visible_after` fault hides the order this create just made. */
  #hideIfAsked(record: RequestRecord, body: unknown, wallNowMs: number): void {
    if (record.method !== "POST" || record.path !== "/api/v3/order") return;
    const orderId = (body as { orderId?: unknown } | undefined)?.orderId;
    if (typeof orderId !== "number") return;
    const spec = this.#faults.take(record.method, record.path, HIDE, wallNowMs, record.params);
    if (spec === null) return;
    this.#hidden.hide(orderId, this.clock.nowMs() + (spec.visibleAfterMs ?? 30_000));
  }

  #record(req: Request, path: string, params: URLSearchParams, ip: string): RequestRecord {
    const plain: Record<string, string> = {};
    for (const [k, v] of params) if (k !== "signature") plain[k] = v;
    const record: RequestRecord = {
      id: this.#nextRequestId++,
      wallTimeMs: Date.now(),
      marketTimeMs: this.clock.nowMs(),
      method: req.method,
      path,
      params: plain,
      signed: params.has("signature"),
      hasApiKey: req.headers.has("x-mbx-apikey"),
      ip,
      weight: requestWeight(req.method, path, params),
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
    rawQuery: string,
    rawBody: string,
  ) {
    const marketNowMs = this.clock.nowMs();
    const wallNowMs = Date.now();
    try {
      if (!SIGNED_PATHS.has(record.path)) {
        if (req.method !== "GET") return { status: 404, body: undefined };
        const ctx = {
          book: this.book,
          marketNowMs,
          serverTimeMs: this.#serverTimeMs(),
          weightLimit: this.#weights.limit,
        };
        const body = publicRoute(record.path, params, ctx);
        return { status: body === undefined ? 404 : 200, body };
      }
      const skew = this.#faults.take(req.method, record.path, SKEW, wallNowMs, record.params) !==
        null;
      if (skew) record.fault = "clock_skew";
      const parts = { apiKey: req.headers.get("x-mbx-apikey"), rawQuery, rawBody, params };
      const account = await authenticate(parts, this.book.accounts, this.#serverTimeMs(), skew);
      const insufficientBalanceFault = () => {
        const hit =
          this.#faults.take(req.method, record.path, FUNDS, wallNowMs, record.params) !== null;
        if (hit) record.fault = "insufficient_balance";
        return hit;
      };
      const body = privateRoute(req.method, record.path, params, {
        book: this.book,
        account,
        marketNowMs,
        insufficientBalanceFault,
      });
      return { status: body === undefined ? 404 : 200, body };
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      record.errorCode = e.code;
      return { status: e.httpStatus, body: { code: e.code, msg: e.message } };
    }
  }

  async #preFault(spec: FaultSpec, record: RequestRecord, headers: Headers) {
    record.fault = spec.kind;
    const retryAfterSec = spec.retryAfterSec ?? 1;
    switch (spec.kind) {
      case "rate_limit":
        record.status = 429;
        return faultResponses.rateLimitResponse(retryAfterSec, this.#weights.limit, headers);
      case "ban":
        record.status = 418;
        return faultResponses.banResponse(
          retryAfterSec,
          Date.now() + retryAfterSec * 1000,
          headers,
        );
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

  async #loseResponse(spec: FaultSpec, record: RequestRecord): Promise<Response> {
    record.fault = spec.kind;
    record.status = 0;
    if (spec.then === "hang") await faultResponses.hang(spec, [this.#closing.signal]);
    return faultResponses.droppedResponse();
  }

  // ---- EmulatorControl ----

  state(): EmulatorState {
    return {
      marketTimeMs: this.clock.nowMs(),
      speed: this.clock.speed,
      serverTimeMs: this.#serverTimeMs(),
      serverTimeOffsetMs: this.#serverTimeOffsetMs,
      weightLimit: this.#weights.limit,
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
  orders(): OrderView[] {
    this.book.match(this.clock.nowMs());
    return this.book.orders.map(orderView);
  }
  trades(): TradeView[] {
    return this.book.trades.map(({ apiKey: _k, quoteQty: _q, isMaker: _m, ...t }) => t);
  }
  balances(apiKey = EMULATOR_API_KEY): Record<string, AssetBalance> {
    this.book.match(this.clock.nowMs());
    const account = this.book.accounts.get(apiKey);
    return Object.fromEntries([...(account?.balances ?? [])].map(([k, v]) => [k, { ...v }]));
  }
  setBalance(asset: string, free: number, apiKey = EMULATOR_API_KEY): void {
    const account = this.book.accounts.get(apiKey);
    if (!account) throw new Error(`unknown api key`);
    this.book.balance(account, asset).free = free;
  }
  addAccount(apiKey: string, secret: string, balances: Record<string, number>): void {
    this.book.addAccount(apiKey, secret, balances);
  }
  setWeightLimit(limit: number): void {
    this.#weights.limit = limit;
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
  weightUsage() {
    return this.#weights.usage();
  }
  resetWeights(): void {
    this.#weights.reset();
  }
  placeOrder(order: ManualOrder, apiKey?: string): OrderView {
    const nowMs = this.clock.nowMs();
    this.book.match(nowMs);
    const placed = this.book.place(this.#account(apiKey), {
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      quantity: order.quantity,
      price: order.price ?? null,
      stopPrice: order.stopPrice ?? null,
      timeInForce: null,
      clientOrderId: order.clientOrderId ?? generatedClientOrderId(),
    }, nowMs);
    return orderView(placed);
  }
  expireOrder(clientOrderId: string, status?: EndedStatus, apiKey?: string): OrderView {
    const nowMs = this.clock.nowMs();
    this.book.match(nowMs);
    const account = this.#account(apiKey);
    const order = this.book.orders.findLast((o) =>
      o.apiKey === account.apiKey && o.clientOrderId === clientOrderId
    );
    return orderView(this.book.cancel(account, order ?? null, nowMs, status ?? "EXPIRED"));
  }
  setDepth(symbol: string, depth: BookDepth | null): void {
    this.book.match(this.clock.nowMs());
    this.book.setDepth(symbol, depth);
  }
  /** The account of `apiKey` (null or absent over HTTP: the default one). */
  #account(apiKey?: string | null): EmulatorAccount {
    const account = this.book.accounts.get(apiKey ?? EMULATOR_API_KEY);
    if (!account) throw new Error(`unknown api key`);
    return account;
  }
}

function orderView(
  { apiKey: _k, lockedAsset: _a, lockedAmount: _l, checkedFromMs: _c, triggered: _t, ...o }:
    EmulatorOrder,
): OrderView {
  return { ...o };
}
