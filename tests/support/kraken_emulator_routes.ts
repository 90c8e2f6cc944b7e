/**
 * Kraken's REST endpoints over the shared matching book: `/0/public/*` (Time, Assets,
 * AssetPairs, Ticker, OHLC) and `/0/private/*` (Balance, BalanceEx, AddOrder, QueryOrders,
 * OpenOrders, ClosedOrders, CancelOrder, TradesHistory), in Kraken's shapes and error texts.
 */
import { alignOpen, lowerBound, partialCandle } from "./candle_source.ts";
import {
  BinanceError,
  type EmulatorAccount,
  type EmulatorBook,
  type EmulatorOrder,
  type EmulatorTrade,
  generatedClientOrderId,
  isOpen,
} from "./emulator_book.ts";
import type { HiddenOrders } from "./emulator_hidden_orders.ts";
import { KrakenError } from "./kraken_emulator_auth.ts";
import {
  assetPairsResult,
  assetsResult,
  KRAKEN_INTERVALS_MIN,
  KRAKEN_OHLC_WINDOW,
  type KrakenAsset,
  type KrakenPair,
} from "./kraken_emulator_markets.ts";

/** What the routes work on. */
export interface KrakenContext {
  readonly book: EmulatorBook;
  readonly pairs: readonly KrakenPair[];
  readonly assets: readonly KrakenAsset[];
  readonly marketNowMs: number;
  readonly wallNowMs: number;
  /** Kraken-side facts the book does not keep: each order's `cl_ord_id` and `userref`. */
  readonly tags: Map<number, OrderTags>;
  readonly hidden: HiddenOrders;
  readonly insufficientBalanceFault: () => boolean;
}

/** The client's own references to an order. */
export interface OrderTags {
  readonly clOrdId: string | null;
  readonly userref: number | null;
}

/** Kraken's answer body. */
export type KrakenBody = { error: string[]; result?: unknown };

const PAGE = 50;

/** Kraken order ids look like `OQCLML-BW3P3-BUCMWZ`; the emulator's encode its order number. */
export function txidOf(orderId: number, prefix = "O"): string {
  const s = orderId.toString(36).toUpperCase().padStart(16, "0");
  return `${prefix}${s.slice(0, 5)}-${s.slice(5, 10)}-${s.slice(10)}`;
}

/** The order number inside an emulator txid, or null. */
export function orderIdOf(txid: string): number | null {
  const m = /^[OT]([0-9A-Z]{5})-([0-9A-Z]{5})-([0-9A-Z]{6})$/.exec(txid);
  return m ? parseInt(m[1] + m[2] + m[3], 36) : null;
}

function findPair(ctx: KrakenContext, id: string | null): KrakenPair {
  const p = ctx.pairs.find((x) => x.id === id || x.altname === id);
  if (!p) throw new KrakenError("EQuery:Unknown asset pair");
  return p;
}

function pairOfBook(ctx: KrakenContext, bookSymbol: string): KrakenPair {
  return ctx.pairs.find((p) => p.bookSymbol === bookSymbol)!;
}

function fixed(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

const seconds = (ms: number) => Math.round(ms) / 1000;

// ---- public ----

/** Answers a public GET; undefined for an unknown path. */
export function krakenPublic(
  method: string,
  params: URLSearchParams,
  ctx: KrakenContext,
): KrakenBody | undefined {
  switch (method) {
    case "Time": {
      const unixtime = Math.floor(ctx.wallNowMs / 1000);
      return {
        error: [],
        result: { unixtime, rfc1123: new Date(unixtime * 1000).toUTCString() },
      };
    }
    case "SystemStatus":
      return {
        error: [],
        result: { status: "online", timestamp: new Date(ctx.wallNowMs).toISOString() },
      };
    case "Assets":
      return { error: [], result: assetsResult(ctx.assets) };
    case "AssetPairs": {
      const wanted = params.get("pair")?.split(",");
      const pairs = wanted ? wanted.map((id) => findPair(ctx, id)) : ctx.pairs;
      return { error: [], result: assetPairsResult(pairs) };
    }
    case "Ticker":
      return { error: [], result: tickers(ctx, params.get("pair")) };
    case "OHLC":
      return { error: [], result: ohlc(ctx, params) };
    default:
      return undefined;
  }
}

function tickers(ctx: KrakenContext, pairParam: string | null): Record<string, unknown> {
  const pairs = pairParam ? pairParam.split(",").map((id) => findPair(ctx, id)) : ctx.pairs;
  return Object.fromEntries(pairs.map((p) => {
    const last = ctx.book.priceAt(p.bookSymbol, ctx.marketNowMs);
    const tick = Number(p.tickSize);
    const price = (v: number) => fixed(v, p.pairDecimals);
    return [p.id, {
      a: [price(last + tick), "1", "1.000"],
      b: [price(last - tick), "1", "1.000"],
      c: [price(last), "0.01000000"],
      v: ["100.00000000", "100.00000000"],
      p: [price(last), price(last)],
      t: [100, 100],
      l: [price(last), price(last)],
      h: [price(last), price(last)],
      o: price(last),
    }];
  }));
}

/**
 * The latest 720 candles of the interval, up to the still-open one; `since` (seconds) only
 * narrows that window to the candles after it — older candles cannot be reached.
 */
function ohlc(ctx: KrakenContext, params: URLSearchParams): Record<string, unknown> {
  const p = findPair(ctx, params.get("pair"));
  const minutes = Number(params.get("interval") ?? "1");
  if (!KRAKEN_INTERVALS_MIN.includes(minutes)) {
    throw new KrakenError("EGeneral:Invalid arguments");
  }
  const intervalMs = minutes * 60_000;
  const sinceText = params.get("since");
  if (sinceText !== null && !/^\d+$/.test(sinceText)) {
    throw new KrakenError("EGeneral:Invalid arguments:since");
  }
  const nowOpenMs = alignOpen(ctx.marketNowMs, intervalMs);
  const firstMs = nowOpenMs - (KRAKEN_OHLC_WINDOW - 1) * intervalMs;
  const sinceMs = sinceText === null ? -Infinity : Number(sinceText) * 1000;
  const candles = ctx.book.source.series(p.bookSymbol, intervalMs)?.candles ?? [];
  const rows: unknown[] = [];
  const price = (v: number) => fixed(v, p.pairDecimals);
  for (let i = lowerBound(candles, firstMs); i < candles.length; i++) {
    const full = candles[i];
    if (full.openTimeMs > nowOpenMs) break;
    if (full.openTimeMs <= sinceMs) continue;
    const c = full.openTimeMs === nowOpenMs
      ? partialCandle(full, intervalMs, ctx.marketNowMs)
      : full;
    const vwap = (c.open + c.high + c.low + c.close) / 4;
    const count = Math.max(1, Math.round(c.volume * 10));
    rows.push([
      c.openTimeMs / 1000,
      price(c.open),
      price(c.high),
      price(c.low),
      price(c.close),
      price(vwap),
      fixed(c.volume, 8),
      count,
    ]);
  }
  // `last`: the newest committed (closed) candle, to poll `since` from.
  const lastCommittedMs = rows.length > 0
    ? Math.min(nowOpenMs - intervalMs, (rows.at(-1) as number[])[0] * 1000)
    : nowOpenMs - intervalMs;
  return { [p.id]: rows, last: Math.floor(lastCommittedMs / 1000) };
}

// ---- private ----

/** Answers a private POST for an authenticated account; undefined for an unknown method. */
export function krakenPrivate(
  method: string,
  params: URLSearchParams,
  account: EmulatorAccount,
  ctx: KrakenContext,
): KrakenBody | undefined {
  ctx.book.match(ctx.marketNowMs);
  switch (method) {
    case "Balance":
      return { error: [], result: balances(ctx, account, false) };
    case "BalanceEx":
      return { error: [], result: balances(ctx, account, true) };
    case "AddOrder":
      return { error: [], result: addOrder(params, account, ctx) };
    case "QueryOrders":
      return { error: [], result: queryOrders(params, account, ctx) };
    case "OpenOrders":
      return { error: [], result: { open: listOrders(params, account, ctx, true).orders } };
    case "ClosedOrders": {
      const { orders, count } = listOrders(params, account, ctx, false);
      return { error: [], result: { closed: orders, count } };
    }
    case "CancelOrder":
      return { error: [], result: cancelOrder(params, account, ctx) };
    case "TradesHistory":
      return { error: [], result: tradesHistory(params, account, ctx) };
    default:
      return undefined;
  }
}

function balances(ctx: KrakenContext, account: EmulatorAccount, extended: boolean) {
  const out: Record<string, unknown> = {};
  for (const [id, b] of account.balances) {
    const decimals = ctx.assets.find((a) => a.id === id)?.decimals ?? 8;
    const total = fixed(b.free + b.locked, Math.min(decimals, 10));
    out[id] = extended
      ? { balance: total, hold_trade: fixed(b.locked, Math.min(decimals, 10)) }
      : total;
  }
  return out;
}

const ORDER_TYPES: Record<string, string> = {
  market: "MARKET",
  limit: "LIMIT",
  "stop-loss": "STOP_LOSS",
  "stop-loss-limit": "STOP_LOSS_LIMIT",
  "take-profit": "TAKE_PROFIT",
  "take-profit-limit": "TAKE_PROFIT_LIMIT",
};
const KRAKEN_TYPES = Object.fromEntries(Object.entries(ORDER_TYPES).map(([k, v]) => [v, k]));
/** AddOrder's parameters the emulator knows; anything else is refused as Kraken does. */
const ADD_ORDER_PARAMS = new Set([
  "nonce",
  "pair",
  "type",
  "ordertype",
  "volume",
  "price",
  "price2",
  "cl_ord_id",
  "userref",
  "oflags",
  "timeinforce",
  "validate",
]);
const UUID_LONG = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const UUID_SHORT = /^[0-9a-fA-F]{32}$/;
const FREE_TEXT = /^[\x20-\x7e]{1,18}$/;

/** Kraken's `cl_ord_id` rule: a UUID (with or without dashes), or up to 18 printable ASCII characters. */
export function isKrakenClOrdId(id: string): boolean {
  return UUID_LONG.test(id) || UUID_SHORT.test(id) || FREE_TEXT.test(id);
}

function decimalsOf(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

function positiveNumber(text: string | null, field: string): number {
  const value = Number(text);
  if (text === null || text === "" || !Number.isFinite(value) || value <= 0) {
    throw new KrakenError(`EGeneral:Invalid arguments:${field}`);
  }
  return value;
}

function addOrder(params: URLSearchParams, account: EmulatorAccount, ctx: KrakenContext) {
  for (const key of params.keys()) {
    if (!ADD_ORDER_PARAMS.has(key)) throw new KrakenError(`EGeneral:Invalid arguments:${key}`);
  }
  const p = findPair(ctx, params.get("pair"));
  const side = params.get("type");
  if (side !== "buy" && side !== "sell") throw new KrakenError("EGeneral:Invalid arguments:type");
  const type = ORDER_TYPES[params.get("ordertype") ?? ""];
  if (!type) throw new KrakenError("EGeneral:Invalid arguments:ordertype");
  if ((params.get("oflags") ?? "").includes("viqc")) {
    throw new KrakenError("EGeneral:Invalid arguments:viqc"); // volume in quote: not emulated
  }
  const volumeText = params.get("volume");
  const volume = positiveNumber(volumeText, "volume");
  if (decimalsOf(volumeText!) > p.lotDecimals) {
    throw new KrakenError("EGeneral:Invalid arguments:volume");
  }
  const priceText = params.get("price");
  const price2Text = params.get("price2");
  let limitPrice: number | null = null;
  let stopPrice: number | null = null;
  if (type !== "MARKET") {
    const first = positiveNumber(priceText, "price");
    checkTick(p, priceText!);
    if (type === "LIMIT") limitPrice = first;
    else stopPrice = first;
    if (type.endsWith("_LIMIT")) {
      limitPrice = positiveNumber(price2Text, "price2");
      checkTick(p, price2Text!);
    }
  }
  const clOrdId = params.get("cl_ord_id");
  const userrefText = params.get("userref");
  if (clOrdId !== null && userrefText !== null) {
    throw new KrakenError("EGeneral:Invalid arguments:cl_ord_id and userref are exclusive");
  }
  if (clOrdId !== null && !isKrakenClOrdId(clOrdId)) {
    throw new KrakenError("EGeneral:Invalid arguments:cl_ord_id");
  }
  const userref = userrefText === null ? null : integerRef(userrefText);
  if (volume < Number(p.ordermin)) throw new KrakenError("EOrder:Order minimum not met");
  const notionalPrice = limitPrice ?? stopPrice ?? ctx.book.priceAt(p.bookSymbol, ctx.marketNowMs);
  if (volume * notionalPrice < Number(p.costmin)) {
    throw new KrakenError("EOrder:Cost minimum not met");
  }
  if (clOrdId !== null && openWithClOrdId(ctx, account, clOrdId)) {
    throw new KrakenError("EOrder:Duplicate cl_ord_id");
  }
  if (params.get("validate") === "true") {
    return { descr: { order: describe(p, side, type, volume, limitPrice, stopPrice) } };
  }
  if (ctx.insufficientBalanceFault()) throw new KrakenError("EOrder:Insufficient funds");
  const order = placeInBook(ctx, account, {
    symbol: p.bookSymbol,
    side: side.toUpperCase(),
    type,
    quantity: volume,
    price: limitPrice,
    stopPrice,
    timeInForce: type.includes("LIMIT") ? "GTC" : null,
    clientOrderId: bookClientId(clOrdId),
  });
  ctx.tags.set(order.orderId, { clOrdId, userref });
  return {
    descr: { order: describe(p, side, type, volume, limitPrice, stopPrice) },
    txid: [txidOf(order.orderId)],
  };
}

function checkTick(p: KrakenPair, text: string): void {
  if (decimalsOf(text) > p.pairDecimals) {
    throw new KrakenError(
      `EOrder:Invalid price:${p.altname} price can only be specified up to ${p.pairDecimals} decimals.`,
    );
  }
}

function integerRef(text: string): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n) || Math.abs(n) > 2 ** 31 - 1) {
    throw new KrakenError("EGeneral:Invalid arguments:userref");
  }
  return n;
}

/** The book requires a Binance-style client id; one that does not fit gets an internal one. */
function bookClientId(clOrdId: string | null): string {
  return clOrdId !== null && /^[.A-Z:/a-z0-9_-]{1,36}$/.test(clOrdId)
    ? clOrdId
    : generatedClientOrderId();
}

function placeInBook(
  ctx: KrakenContext,
  account: EmulatorAccount,
  order: Parameters<EmulatorBook["place"]>[1],
): EmulatorOrder {
  try {
    return ctx.book.place(account, order, ctx.marketNowMs);
  } catch (e) {
    if (!(e instanceof BinanceError)) throw e;
    if (/insufficient balance/.test(e.message)) throw new KrakenError("EOrder:Insufficient funds");
    if (/Duplicate/.test(e.message)) throw new KrakenError("EOrder:Duplicate cl_ord_id");
    throw new KrakenError(`EOrder:Invalid order:${e.message}`);
  }
}

function openWithClOrdId(ctx: KrakenContext, account: EmulatorAccount, clOrdId: string) {
  return ctx.book.orders.some((o) =>
    o.apiKey === account.apiKey && isOpen(o) && ctx.tags.get(o.orderId)?.clOrdId === clOrdId
  );
}

function describe(
  p: KrakenPair,
  side: string,
  type: string,
  volume: number,
  limitPrice: number | null,
  stopPrice: number | null,
): string {
  const price = (v: number | null) => fixed(v ?? 0, p.pairDecimals);
  const head = `${side} ${fixed(volume, 8)} ${p.altname} @ `;
  switch (type) {
    case "MARKET":
      return head + "market";
    case "LIMIT":
      return head + `limit ${price(limitPrice)}`;
    case "STOP_LOSS":
      return head + `stop loss ${price(stopPrice)}`;
    case "TAKE_PROFIT":
      return head + `take profit ${price(stopPrice)}`;
    case "STOP_LOSS_LIMIT":
      return head + `stop loss ${price(stopPrice)} -> limit ${price(limitPrice)}`;
    default:
      return head + `take profit ${price(stopPrice)} -> limit ${price(limitPrice)}`;
  }
}

const STATUS: Record<string, string> = {
  NEW: "open",
  PARTIALLY_FILLED: "open",
  FILLED: "closed",
  CANCELED: "canceled",
  EXPIRED: "expired",
  REJECTED: "canceled",
};

/** An order in Kraken's order-info shape. */
function orderInfo(ctx: KrakenContext, o: EmulatorOrder, withTrades: boolean) {
  const p = pairOfBook(ctx, o.symbol);
  const tags = ctx.tags.get(o.orderId) ?? { clOrdId: null, userref: null };
  const trades = ctx.book.trades.filter((t) => t.orderId === o.orderId);
  const fee = trades.reduce((sum, t) => sum + t.commission, 0);
  const avg = o.executedQty > 0 ? o.cumQuote / o.executedQty : 0;
  const side = o.side === "BUY" ? "buy" : "sell";
  const type = KRAKEN_TYPES[o.type] ?? "limit";
  const stopped = o.type.startsWith("STOP") || o.type.startsWith("TAKE");
  const status = STATUS[o.status];
  const info: Record<string, unknown> = {
    refid: null,
    userref: tags.userref,
    ...(tags.clOrdId !== null ? { cl_ord_id: tags.clOrdId } : {}),
    status,
    opentm: seconds(o.timeMs),
    ...(status === "open" ? {} : { closetm: seconds(o.updateTimeMs) }),
    starttm: 0,
    expiretm: 0,
    descr: {
      pair: p.altname,
      type: side,
      ordertype: type,
      price: fixed(stopped ? o.stopPrice : o.price, p.pairDecimals),
      price2: fixed(stopped ? o.price : 0, p.pairDecimals),
      leverage: "none",
      order: describe(
        p,
        side,
        o.type,
        o.origQty,
        o.price || null,
        o.stopPrice || null,
      ),
      close: "",
    },
    vol: fixed(o.origQty, 8),
    vol_exec: fixed(o.executedQty, 8),
    cost: fixed(o.cumQuote, p.costDecimals),
    fee: fixed(fee, p.costDecimals),
    price: fixed(avg, p.pairDecimals),
    stopprice: fixed(o.stopPrice, p.pairDecimals),
    limitprice: fixed(o.price, p.pairDecimals),
    misc: "",
    oflags: "fciq",
    ...(status === "canceled" ? { reason: "User requested" } : { reason: null }),
  };
  if (withTrades && trades.length > 0) info.trades = trades.map((t) => txidOf(t.id, "T"));
  return info;
}

function mine(ctx: KrakenContext, account: EmulatorAccount): EmulatorOrder[] {
  return ctx.book.orders.filter((o) =>
    o.apiKey === account.apiKey && !ctx.hidden.hidden(o.orderId, ctx.marketNowMs)
  );
}

function queryOrders(params: URLSearchParams, account: EmulatorAccount, ctx: KrakenContext) {
  const txids = params.get("txid");
  if (!txids) throw new KrakenError("EGeneral:Invalid arguments:txid");
  const userrefText = params.get("userref");
  const userref = userrefText === null ? null : integerRef(userrefText);
  const ids = txids.split(",");
  if (ids.length > 50) throw new KrakenError("EGeneral:Invalid arguments:txid");
  const withTrades = params.get("trades") === "true";
  const out: Record<string, unknown> = {};
  for (const txid of ids) {
    const orderId = orderIdOf(txid);
    const o = mine(ctx, account).find((x) => x.orderId === orderId);
    if (!o) throw new KrakenError("EOrder:Invalid order");
    if (userref !== null && ctx.tags.get(o.orderId)?.userref !== userref) continue;
    out[txid] = orderInfo(ctx, o, withTrades);
  }
  return out;
}

/** Open orders (all) or closed ones (newest first, 50 a page from `ofs`), by cl_ord_id or userref. */
function listOrders(
  params: URLSearchParams,
  account: EmulatorAccount,
  ctx: KrakenContext,
  open: boolean,
) {
  const clOrdId = params.get("cl_ord_id");
  const userrefText = params.get("userref");
  const userref = userrefText === null ? null : integerRef(userrefText);
  const withTrades = params.get("trades") === "true";
  const startS = params.get("start");
  const endS = params.get("end");
  let list = mine(ctx, account).filter((o) => isOpen(o) === open).filter((o) => {
    const tags = ctx.tags.get(o.orderId);
    if (clOrdId !== null && tags?.clOrdId !== clOrdId) return false;
    if (userref !== null && tags?.userref !== userref) return false;
    const at = open ? o.timeMs : o.updateTimeMs;
    if (startS !== null && at <= Number(startS) * 1000) return false;
    if (endS !== null && at > Number(endS) * 1000) return false;
    return true;
  });
  const count = list.length;
  if (!open) {
    list = list.sort((a, b) => b.updateTimeMs - a.updateTimeMs || b.orderId - a.orderId);
    const ofs = Number(params.get("ofs") ?? "0");
    list = list.slice(ofs, ofs + PAGE);
  }
  const orders = Object.fromEntries(
    list.map((o) => [txidOf(o.orderId), orderInfo(ctx, o, withTrades)]),
  );
  return { orders, count };
}

function cancelOrder(params: URLSearchParams, account: EmulatorAccount, ctx: KrakenContext) {
  const txid = params.get("txid");
  const clOrdId = params.get("cl_ord_id");
  if ((txid === null) === (clOrdId === null)) {
    throw new KrakenError("EGeneral:Invalid arguments:txid");
  }
  const open = ctx.book.orders.filter((o) => o.apiKey === account.apiKey && isOpen(o));
  let targets: EmulatorOrder[];
  if (clOrdId !== null) {
    targets = open.filter((o) => ctx.tags.get(o.orderId)?.clOrdId === clOrdId);
  } else if (/^-?\d+$/.test(txid!)) {
    targets = open.filter((o) => ctx.tags.get(o.orderId)?.userref === Number(txid));
  } else {
    const orderId = orderIdOf(txid!);
    const known = ctx.book.orders.find((o) => o.apiKey === account.apiKey && o.orderId === orderId);
    if (!known) throw new KrakenError("EOrder:Unknown order");
    targets = isOpen(known) ? [known] : [];
  }
  if (targets.length === 0) throw new KrakenError("EOrder:Unknown order");
  for (const o of targets) ctx.book.cancel(account, o, ctx.marketNowMs);
  return { count: targets.length };
}

function tradeInfo(ctx: KrakenContext, t: EmulatorTrade) {
  const p = pairOfBook(ctx, t.symbol);
  const order = ctx.book.orders.find((o) => o.orderId === t.orderId);
  return {
    ordertxid: txidOf(t.orderId),
    postxid: txidOf(t.id, "T"),
    pair: p.id,
    time: seconds(t.timeMs),
    type: t.isBuyer ? "buy" : "sell",
    ordertype: KRAKEN_TYPES[order?.type ?? "LIMIT"] ?? "limit",
    price: fixed(t.price, p.pairDecimals),
    cost: fixed(t.quoteQty, p.costDecimals),
    fee: fixed(t.commission, p.costDecimals),
    vol: fixed(t.qty, 8),
    margin: fixed(0, p.costDecimals),
    leverage: "0",
    misc: "",
    trade_id: t.id,
    maker: t.isMaker,
  };
}

/** The account's trades, newest first, 50 a page from `ofs`, after `start` up to `end` (seconds). */
function tradesHistory(params: URLSearchParams, account: EmulatorAccount, ctx: KrakenContext) {
  const startS = params.get("start");
  const endS = params.get("end");
  const list = ctx.book.trades.filter((t) =>
    t.apiKey === account.apiKey && !ctx.hidden.hidden(t.orderId, ctx.marketNowMs) &&
    (startS === null || t.timeMs > Number(startS) * 1000) &&
    (endS === null || t.timeMs <= Number(endS) * 1000)
  ).sort((a, b) => b.timeMs - a.timeMs || b.id - a.id);
  const ofs = Number(params.get("ofs") ?? "0");
  const page = list.slice(ofs, ofs + PAGE);
  return {
    trades: Object.fromEntries(page.map((t) => [txidOf(t.id, "T"), tradeInfo(ctx, t)])),
    count: list.length,
  };
}
