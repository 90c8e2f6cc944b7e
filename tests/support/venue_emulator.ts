/**
 * What every loopback exchange emulator other than Binance's shares: the HTTP server, the market
 * clock, the matching book and ledger, the fault queue, the request log and the control API that
 * tests drive. A venue (Bybit, Coinbase, …) adds its routes, its authentication and its error
 * shapes by implementing `route` and `faultBody`.
 */
import { CandleSource } from "./candle_source.ts";
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
import type { ManualOrder, OrderView, RequestRecord, TradeView } from "./emulator_control.ts";
import type { BookDepth } from "./emulator_depth.ts";
import * as faultResponses from "./emulator_fault_responses.ts";
import { type FaultKind, FaultQueue, type FaultSpec } from "./emulator_faults.ts";
import type { SymbolSpec } from "./emulator_markets.ts";

/** How to start a venue emulator. */
export interface VenueEmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  startMs?: number;
  /** Market ms per wall ms; 0 (default) freezes the market clock. */
  speed?: number;
  /** Free balances of the default account. */
  balances?: Record<string, number>;
  feeRate?: number;
  symbols?: readonly SymbolSpec[];
  /** Directory with `binance_<BASE>-<QUOTE>_<tf>.csv` files (default `data/samples/`). */
  dataDir?: URL;
  /** Requests kept in the log (default 200 000). */
  maxRequestLog?: number;
}

/** What a venue's route sees of one request. */
export interface VenueRequest {
  readonly method: string;
  readonly path: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly rawQuery: string;
  readonly rawBody: string;
  readonly record: RequestRecord;
  readonly marketNowMs: number;
  readonly wallNowMs: number;
}

/** A venue's answer: JSON body (a string: plain text; undefined: 404), status and headers. */
export interface VenueResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  /** False when the venue refused the request (default: status 200); faults that need an
   * executed request (`lose_response`, …) leave a refused one alone. */
  readonly ok?: boolean;
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
const SKEW: ReadonlySet<FaultKind> = new Set(["clock_skew"]);
const FUNDS: ReadonlySet<FaultKind> = new Set(["insufficient_balance"]);

/** Control methods served over HTTP. */
const CONTROL = [
  "state",
  "setTime",
  "advance",
  "advanceCandles",
  "setSpeed",
  "clearFaults",
  "orders",
  "trades",
  "balances",
];

/** A running venue emulator; `url` is its base, e.g. `http://127.0.0.1:41234`. */
export abstract class VenueEmulator implements AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly clock: EmulatorClock;
  readonly book: EmulatorBook;
  /** API key of the default account. */
  abstract readonly defaultApiKey: string;
  readonly #faults = new FaultQueue();
  readonly #log: RequestRecord[] = [];
  readonly #maxLog: number;
  #nextRequestId = 1;
  readonly #closing = new AbortController();
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  /** Server time minus wall time: what the venue's time endpoint and timestamp checks use. */
  serverTimeOffsetMs = 0;

  constructor(options: VenueEmulatorOptions, defaults: { symbols: readonly SymbolSpec[] }) {
    this.clock = new EmulatorClock(options.startMs ?? Date.UTC(2024, 7, 1, 0, 30), {
      speed: options.speed,
    });
    const symbols = new Map((options.symbols ?? defaults.symbols).map((s) => [s.symbol, s]));
    this.book = new EmulatorBook(symbols, new CandleSource(options.dataDir), {
      feeRate: options.feeRate,
      commissionIn: this.commissionIn(),
    });
    this.#maxLog = options.maxRequestLog ?? 200_000;
    this.#server = Deno.serve({
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      signal: this.#closing.signal,
      onListen: () => {},
      onError: (e) => Response.json({ error: String(e) }, { status: 500 }),
    }, (req, info) => this.#handle(req, info));
    this.port = this.#server.addr.port;
    this.url = `http://127.0.0.1:${this.port}`;
  }

  /** Where the venue takes a buy's fee from: the received asset or the quote. */
  protected abstract commissionIn(): "received" | "quote";

  /** Handles one API request (after pre-request faults). */
  protected abstract route(req: VenueRequest): Promise<VenueResponse>;

  /** The venue's answer to an injected `rate_limit` or `ban` fault. */
  protected abstract rateLimitResponse(spec: FaultSpec): VenueResponse;

  /** The id the venue shows for a book order. */
  exchangeOrderId(order: EmulatorOrder): string {
    return String(order.orderId);
  }

  /** Server time as the venue reports it. */
  serverTimeMs(): number {
    return Date.now() + this.serverTimeOffsetMs;
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

  /** True (and noted on the record) when a `clock_skew` fault applies to this request. */
  protected skewFault(req: VenueRequest): boolean {
    const hit = this.#faults.take(req.method, req.path, SKEW, req.wallNowMs, req.record.params);
    if (hit) req.record.fault = "clock_skew";
    return hit !== null;
  }

  /** True (and noted) when an `insufficient_balance` fault applies to this request. */
  protected fundsFault(req: VenueRequest): boolean {
    const hit = this.#faults.take(req.method, req.path, FUNDS, req.wallNowMs, req.record.params);
    if (hit) req.record.fault = "insufficient_balance";
    return hit !== null;
  }

  async #handle(req: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname.startsWith("/__control/")) {
      return await this.#control(url.pathname.slice("/__control/".length), req);
    }
    const rawQuery = url.search.slice(1);
    const rawBody = req.method === "GET" || req.method === "DELETE" ? "" : await req.text();
    const record = this.#record(req, url, rawQuery, rawBody, info.remoteAddr.hostname);
    const wallNowMs = Date.now();
    const venueReq: VenueRequest = {
      method: req.method,
      path: url.pathname,
      url,
      headers: req.headers,
      rawQuery,
      rawBody,
      record,
      marketNowMs: this.clock.nowMs(),
      wallNowMs,
    };
    const pre = this.#faults.take(req.method, record.path, PRE_FAULTS, wallNowMs, record.params);
    if (pre) return await this.#preFault(pre, record);
    let answer: VenueResponse;
    try {
      answer = await this.route(venueReq);
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      // A venue maps book errors itself; one that slips through is a plain 400.
      answer = { status: 400, body: { error: e.message } };
    }
    record.status = answer.status;
    const post = (answer.ok ?? answer.status === 200)
      ? this.#faults.take(req.method, record.path, POST_FAULTS, wallNowMs, record.params)
      : null;
    const headers = new Headers({
      "content-type": "application/json; charset=utf-8",
      ...answer.headers,
    });
    if (post?.kind === "malformed_json") {
      record.fault = post.kind;
      return faultResponses.malformedJsonResponse(answer.body, headers);
    }
    if (post?.kind === "executed_http_error") {
      [record.fault, record.status] = [post.kind, post.status ?? 502];
      return faultResponses.htmlErrorResponse(record.status);
    }
    if (post) {
      [record.fault, record.status] = [post.kind, 0];
      if (post.then === "hang") await faultResponses.hang(post, [this.#closing.signal]);
      return faultResponses.droppedResponse();
    }
    if (answer.body === undefined) {
      return new Response("404 page not found\n", {
        status: 404,
        headers: { "content-type": "text/plain" },
      });
    }
    if (typeof answer.body === "string") {
      headers.set("content-type", "text/plain; charset=utf-8");
      return new Response(`${answer.body}\n`, { status: answer.status, headers });
    }
    return Response.json(answer.body, { status: answer.status, headers });
  }

  #record(req: Request, url: URL, rawQuery: string, rawBody: string, ip: string): RequestRecord {
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(rawQuery)) params[k] = v;
    if (rawBody.startsWith("{")) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(rawBody) as Record<string, unknown>)) {
          params[k] = typeof v === "string" ? v : JSON.stringify(v);
        }
      } catch { /* not JSON: the route will say so */ }
    }
    const record: RequestRecord = {
      id: this.#nextRequestId++,
      wallTimeMs: Date.now(),
      marketTimeMs: this.clock.nowMs(),
      method: req.method,
      path: url.pathname,
      params,
      signed: this.isSigned(req.headers),
      hasApiKey: this.isSigned(req.headers),
      ip,
      weight: 1,
      status: 0,
      errorCode: null,
      fault: null,
    };
    this.#log.push(record);
    if (this.#log.length > this.#maxLog) this.#log.splice(0, this.#log.length - this.#maxLog);
    return record;
  }

  /** True when the request carries the venue's authentication headers. */
  protected abstract isSigned(headers: Headers): boolean;

  async #preFault(spec: FaultSpec, record: RequestRecord): Promise<Response> {
    record.fault = spec.kind;
    switch (spec.kind) {
      case "rate_limit":
      case "ban": {
        const answer = this.rateLimitResponse(spec);
        record.status = answer.status;
        return Response.json(answer.body, {
          status: answer.status,
          headers: { "content-type": "application/json; charset=utf-8", ...answer.headers },
        });
      }
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

  /** `POST /__control/<method>` with `{"args": [...]}`, for a trader in another process. */
  async #control(name: string, req: Request): Promise<Response> {
    if (!CONTROL.includes(name)) {
      return Response.json({ error: `unknown control method ${name}` }, { status: 404 });
    }
    const body = req.method === "POST" ? await req.json().catch(() => ({})) : {};
    const args = Array.isArray(body.args) ? body.args : [];
    try {
      const method = (this as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
      return Response.json({ result: (await method.apply(this, args)) ?? null });
    } catch (e) {
      return Response.json({ error: String(e) }, { status: 400 });
    }
  }

  // ---- control, as tests drive it ----

  /** Market time and speed, and the venue's server time. */
  state() {
    return {
      marketTimeMs: this.clock.nowMs(),
      speed: this.clock.speed,
      serverTimeMs: this.serverTimeMs(),
      serverTimeOffsetMs: this.serverTimeOffsetMs,
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
  balances(apiKey = this.defaultApiKey): Record<string, AssetBalance> {
    this.book.match(this.clock.nowMs());
    const account = this.book.accounts.get(apiKey);
    return Object.fromEntries([...(account?.balances ?? [])].map(([k, v]) => [k, { ...v }]));
  }
  setBalance(asset: string, free: number, apiKey = this.defaultApiKey): void {
    this.book.balance(this.account(apiKey), asset).free = free;
  }
  addAccount(apiKey: string, secret: string, balances: Record<string, number>): void {
    this.book.addAccount(apiKey, secret, balances);
  }
  setDepth(symbol: string, depth: BookDepth | null): void {
    this.book.match(this.clock.nowMs());
    this.book.setDepth(symbol, depth);
  }
  /** Places an order on the account as a person would on the web or in the app. */
  placeOrder(order: ManualOrder, apiKey?: string): OrderView {
    const nowMs = this.clock.nowMs();
    this.book.match(nowMs);
    return orderView(this.book.place(this.account(apiKey), {
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      quantity: order.quantity,
      price: order.price ?? null,
      stopPrice: order.stopPrice ?? null,
      timeInForce: null,
      clientOrderId: order.clientOrderId ?? generatedClientOrderId(),
    }, nowMs));
  }
  /** Ends an open order as the exchange does on its own. */
  expireOrder(clientOrderId: string, status?: EndedStatus, apiKey?: string): OrderView {
    const nowMs = this.clock.nowMs();
    this.book.match(nowMs);
    const account = this.account(apiKey);
    const order = this.book.orders.findLast((o) =>
      o.apiKey === account.apiKey && o.clientOrderId === clientOrderId
    );
    return orderView(this.book.cancel(account, order ?? null, nowMs, status ?? "EXPIRED"));
  }

  /** The account of `apiKey` (absent: the default one). */
  protected account(apiKey?: string | null): EmulatorAccount {
    const account = this.book.accounts.get(apiKey ?? this.defaultApiKey);
    if (!account) throw new Error(`unknown api key`);
    return account;
  }
}

/** An order as the control API lists it. */
export function orderView(
  { apiKey: _k, lockedAsset: _a, lockedAmount: _l, checkedFromMs: _c, triggered: _t, ...o }:
    EmulatorOrder,
): OrderView {
  return { ...o };
}

/** Counts requests per key in fixed windows of wall time (a venue's per-second limits). */
export class WindowCounter {
  readonly #windows = new Map<string, { startMs: number; count: number }>();

  constructor(readonly windowMs: number) {}

  /** Counts one request; returns the window's count and when it resets. */
  hit(key: string, wallNowMs: number): { count: number; resetMs: number } {
    const startMs = Math.floor(wallNowMs / this.windowMs) * this.windowMs;
    let w = this.#windows.get(key);
    if (!w || w.startMs !== startMs) this.#windows.set(key, w = { startMs, count: 0 });
    w.count++;
    return { count: w.count, resetMs: startMs + this.windowMs };
  }
}

/** Rounds `value` down to a multiple of `step` without float residue. */
export function floorToStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number((Math.floor(value / step + 1e-9) * step).toFixed(decimals));
}

/** A plain-number decimal string without exponent or float residue. */
export function decimal(value: number, maxDecimals = 10): string {
  const text = value.toFixed(maxDecimals);
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

/** One page of `rows` from an offset cursor (`""` or absent: the start), and the next cursor. */
export function cursorPage<T>(
  rows: readonly T[],
  cursor: string | null | undefined,
  limit: number,
): { page: T[]; next: string } {
  const offset = cursor ? Number(cursor) : 0;
  const more = offset + limit < rows.length;
  return { page: rows.slice(offset, offset + limit), next: more ? String(offset + limit) : "" };
}
