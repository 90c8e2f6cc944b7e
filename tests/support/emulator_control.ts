/** The emulator's control API: one interface, served in-process and over HTTP under `/__control/`. */
import type { AssetBalance, EndedStatus } from "./emulator_book.ts";
import type { BookDepth } from "./emulator_depth.ts";
import type { ActiveFault, FaultKind, FaultSpec } from "./emulator_faults.ts";
import type { IpUsage } from "./emulator_weights.ts";

/** A value or a promise of it: the in-process emulator answers at once, the HTTP client later. */
export type Awaitable<T> = T | Promise<T>;

/** Clocks of the emulator. */
export interface EmulatorState {
  /** Market time: drives candles, prices and order times. */
  readonly marketTimeMs: number;
  /** Market ms per wall ms; 0 when frozen. */
  readonly speed: number;
  /** Binance server time (wall clock + offset): `/api/v3/time` and the recvWindow check. */
  readonly serverTimeMs: number;
  readonly serverTimeOffsetMs: number;
  readonly weightLimit: number;
}

/** One request the emulator received (`signature` is left out of `params`). */
export interface RequestRecord {
  readonly id: number;
  readonly wallTimeMs: number;
  readonly marketTimeMs: number;
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** True when the request carried a `signature` parameter. */
  readonly signed: boolean;
  /** True when the request carried an X-MBX-APIKEY header. */
  readonly hasApiKey: boolean;
  readonly ip: string;
  readonly weight: number;
  /** HTTP status sent; 0 when the connection was cut or the request hung. */
  status: number;
  /** Binance error code sent, if any. */
  errorCode: number | null;
  /** Error text sent by an emulator whose errors are strings (Kraken's `EAPI:Invalid nonce`). */
  error?: string;
  fault: FaultKind | null;
}

/** An order as the control API lists it. */
export interface OrderView {
  readonly orderId: number;
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly side: string;
  readonly type: string;
  readonly status: string;
  readonly price: number;
  readonly stopPrice: number;
  readonly origQty: number;
  readonly executedQty: number;
  readonly cumQuote: number;
  readonly timeMs: number;
  readonly updateTimeMs: number;
}

/** A trade as the control API lists it. */
export interface TradeView {
  readonly id: number;
  readonly orderId: number;
  readonly symbol: string;
  readonly price: number;
  readonly qty: number;
  readonly commission: number;
  readonly commissionAsset: string;
  readonly timeMs: number;
  readonly isBuyer: boolean;
}

/** An order a person places on the account (web, app), not through our trader. */
export interface ManualOrder {
  readonly symbol: string;
  readonly side: "BUY" | "SELL";
  readonly type: "MARKET" | "LIMIT" | "STOP_LOSS";
  readonly quantity: number;
  readonly price?: number;
  readonly stopPrice?: number;
  /** The client id the web or app gives it (e.g. `web_…`); absent: the exchange makes one. */
  readonly clientOrderId?: string;
}

/** What tests can do to the emulator. */
export interface EmulatorControl {
  state(): Awaitable<EmulatorState>;
  setTime(marketTimeMs: number): Awaitable<void>;
  advance(ms: number): Awaitable<void>;
  /** Moves market time to the `count`-th next boundary of `timeframe`, closing that many candles. */
  advanceCandles(count: number, timeframe: string): Awaitable<void>;
  setSpeed(speed: number): Awaitable<void>;
  /** Shifts Binance server time against the wall clock, so clients see clock skew (-1021). */
  setServerTimeOffset(offsetMs: number): Awaitable<void>;
  addFault(spec: FaultSpec): Awaitable<number>;
  clearFaults(): Awaitable<void>;
  faults(): Awaitable<ActiveFault[]>;
  requests(sinceId?: number): Awaitable<RequestRecord[]>;
  clearRequests(): Awaitable<void>;
  orders(): Awaitable<OrderView[]>;
  trades(): Awaitable<TradeView[]>;
  balances(apiKey?: string): Awaitable<Record<string, AssetBalance>>;
  setBalance(asset: string, free: number, apiKey?: string): Awaitable<void>;
  addAccount(apiKey: string, secret: string, balances: Record<string, number>): Awaitable<void>;
  setWeightLimit(limit: number): Awaitable<void>;
  /** Overwrites fields of one served candle, e.g. `{ high: 0 }` to serve an invalid row. */
  patchCandle(
    symbol: string,
    timeframe: string,
    openTimeMs: number,
    values: Record<string, number>,
  ): Awaitable<void>;
  weightUsage(): Awaitable<IpUsage[]>;
  resetWeights(): Awaitable<void>;
  /** Places an order on the account as a person would on the web or in the app. */
  placeOrder(order: ManualOrder, apiKey?: string): Awaitable<OrderView>;
  /** Ends an open order as the exchange does on its own: `EXPIRED` or `CANCELED`. */
  expireOrder(clientOrderId: string, status?: EndedStatus, apiKey?: string): Awaitable<OrderView>;
  /** Limits the liquidity of each matching event of `symbol`; null: unlimited. */
  setDepth(symbol: string, depth: BookDepth | null): Awaitable<void>;
}

/** Method names callable as `POST /__control/<name>` with body `{"args": [...]}`. */
export const CONTROL_METHODS: readonly (keyof EmulatorControl)[] = [
  "state",
  "setTime",
  "advance",
  "advanceCandles",
  "setSpeed",
  "setServerTimeOffset",
  "addFault",
  "clearFaults",
  "faults",
  "requests",
  "clearRequests",
  "orders",
  "trades",
  "balances",
  "setBalance",
  "addAccount",
  "setWeightLimit",
  "patchCandle",
  "weightUsage",
  "resetWeights",
  "placeOrder",
  "expireOrder",
  "setDepth",
];

/** Serves `/__control/<method>`: GET without arguments, POST with `{"args": [...]}`. */
export async function controlResponse(target: EmulatorControl, name: string, req: Request) {
  if (!(CONTROL_METHODS as readonly string[]).includes(name)) {
    return Response.json({ error: `unknown control method ${name}` }, { status: 404 });
  }
  const body = req.method === "POST" ? await req.json().catch(() => ({})) : {};
  const args = Array.isArray(body.args) ? body.args : [];
  try {
    const method = target[name as keyof EmulatorControl] as (...a: unknown[]) => unknown;
    const result = await method.apply(target, args);
    return Response.json({ result: result ?? null });
  } catch (e) {
    return Response.json({ error: String(e) }, { status: 400 });
  }
}

/** The control API of an emulator in another process, over HTTP. */
export class EmulatorControlClient implements EmulatorControl {
  readonly #baseUrl: string;

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl.replace(/\/$/, "");
  }

  async #call<T>(name: string, ...args: unknown[]): Promise<T> {
    const res = await fetch(`${this.#baseUrl}/__control/${name}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args }),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`emulator control ${name} failed: ${json.error}`);
    return json.result as T;
  }

  state() {
    return this.#call<EmulatorState>("state");
  }
  setTime(marketTimeMs: number) {
    return this.#call<void>("setTime", marketTimeMs);
  }
  advance(ms: number) {
    return this.#call<void>("advance", ms);
  }
  advanceCandles(count: number, timeframe: string) {
    return this.#call<void>("advanceCandles", count, timeframe);
  }
  setSpeed(speed: number) {
    return this.#call<void>("setSpeed", speed);
  }
  setServerTimeOffset(offsetMs: number) {
    return this.#call<void>("setServerTimeOffset", offsetMs);
  }
  addFault(spec: FaultSpec) {
    return this.#call<number>("addFault", spec);
  }
  clearFaults() {
    return this.#call<void>("clearFaults");
  }
  faults() {
    return this.#call<ActiveFault[]>("faults");
  }
  requests(sinceId?: number) {
    return this.#call<RequestRecord[]>("requests", sinceId);
  }
  clearRequests() {
    return this.#call<void>("clearRequests");
  }
  orders() {
    return this.#call<OrderView[]>("orders");
  }
  trades() {
    return this.#call<TradeView[]>("trades");
  }
  balances(apiKey?: string) {
    return this.#call<Record<string, AssetBalance>>("balances", apiKey);
  }
  setBalance(asset: string, free: number, apiKey?: string) {
    return this.#call<void>("setBalance", asset, free, apiKey);
  }
  addAccount(apiKey: string, secret: string, balances: Record<string, number>) {
    return this.#call<void>("addAccount", apiKey, secret, balances);
  }
  setWeightLimit(limit: number) {
    return this.#call<void>("setWeightLimit", limit);
  }
  patchCandle(
    symbol: string,
    timeframe: string,
    openTimeMs: number,
    values: Record<string, number>,
  ) {
    return this.#call<void>("patchCandle", symbol, timeframe, openTimeMs, values);
  }
  weightUsage() {
    return this.#call<IpUsage[]>("weightUsage");
  }
  resetWeights() {
    return this.#call<void>("resetWeights");
  }
  placeOrder(order: ManualOrder, apiKey?: string) {
    return this.#call<OrderView>("placeOrder", order, apiKey);
  }
  expireOrder(clientOrderId: string, status?: EndedStatus, apiKey?: string) {
    return this.#call<OrderView>("expireOrder", clientOrderId, status, apiKey);
  }
  setDepth(symbol: string, depth: BookDepth | null) {
    return this.#call<void>("setDepth", symbol, depth);
  }
}
