/** Public Binance spot endpoints: ping, time, exchangeInfo, klines, tickers. */
import { lowerBound } from "./candle_source.ts";
import { BinanceError, type EmulatorBook } from "./emulator_book.ts";
import { intervalMs } from "./emulator_clock.ts";
import { exchangeInfo, fmt8 } from "./emulator_markets.ts";
import { klineRow } from "./emulator_responses.ts";

/** What public routes need from the emulator. */
export interface PublicContext {
  readonly book: EmulatorBook;
  readonly marketNowMs: number;
  readonly serverTimeMs: number;
  readonly weightLimit: number;
}

/** Handles a public GET; undefined when the path is not a public endpoint. */
export function publicRoute(path: string, p: URLSearchParams, ctx: PublicContext): unknown {
  switch (path) {
    case "/api/v3/ping":
      return {};
    case "/api/v3/time":
      return { serverTime: ctx.serverTimeMs };
    case "/api/v3/exchangeInfo":
      return exchangeInfoFor(p, ctx);
    case "/api/v3/klines":
    case "/api/v3/uiKlines":
      return klines(p, ctx);
    case "/api/v3/ticker/price":
      return eachSymbol(
        p,
        ctx,
        (s) => ({ symbol: s, price: fmt8(ctx.book.priceAt(s, ctx.marketNowMs)) }),
      );
    case "/api/v3/ticker/24hr":
      return eachSymbol(p, ctx, (s) => ticker24h(s, ctx));
    case "/api/v3/avgPrice":
      return { mins: 5, price: fmt8(ctx.book.priceAt(required(p, "symbol"), ctx.marketNowMs)) };
    default:
      return undefined;
  }
}

/** The parameter, or Binance's -1102. */
export function required(p: URLSearchParams, name: string): string {
  const v = p.get(name);
  if (v === null || v === "") {
    throw new BinanceError(
      400,
      -1102,
      `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
    );
  }
  return v;
}

function symbolsParam(p: URLSearchParams): string[] | null {
  const one = p.get("symbol");
  if (one) return [one];
  const many = p.get("symbols");
  return many ? (JSON.parse(many) as string[]) : null;
}

function exchangeInfoFor(p: URLSearchParams, ctx: PublicContext): unknown {
  const wanted = symbolsParam(p);
  const specs = [...ctx.book.symbols.values()];
  if (wanted) { for (const s of wanted) ctx.book.spec(s); }
  const chosen = wanted ? specs.filter((s) => wanted.includes(s.symbol)) : specs;
  return exchangeInfo(chosen, ctx.serverTimeMs, ctx.weightLimit);
}

function eachSymbol(p: URLSearchParams, ctx: PublicContext, f: (symbol: string) => unknown) {
  const wanted = symbolsParam(p);
  for (const s of wanted ?? []) ctx.book.spec(s);
  if (p.get("symbol")) return f(p.get("symbol")!);
  return (wanted ?? [...ctx.book.symbols.keys()]).map(f);
}

function klines(p: URLSearchParams, ctx: PublicContext): unknown[] {
  const symbol = required(p, "symbol");
  ctx.book.spec(symbol);
  const ms = intervalMs(required(p, "interval"));
  if (ms === null) throw new BinanceError(400, -1120, "Invalid interval.");
  const limit = Math.min(1000, Math.max(1, Number(p.get("limit") ?? 500)));
  const series = ctx.book.source.series(symbol, ms);
  if (!series) return [];
  const candles = series.candles;
  const endMs = Math.min(Number(p.get("endTime") ?? Infinity), ctx.marketNowMs);
  const end = lowerBound(candles, endMs + 1);
  const start = p.has("startTime")
    ? lowerBound(candles, Number(p.get("startTime")))
    : Math.max(0, end - limit);
  return candles.slice(start, Math.min(end, start + limit))
    .map((c) => klineRow(c, ms, ctx.marketNowMs));
}

function ticker24h(symbol: string, ctx: PublicContext): Record<string, unknown> {
  const now = ctx.marketNowMs;
  const last = ctx.book.priceAt(symbol, now);
  const open = ctx.book.priceAt(symbol, now - 86_400_000);
  const series = ctx.book.source.finest(symbol, now);
  let [high, low, volume] = [Math.max(open, last), Math.min(open, last), 0];
  if (series) {
    const from = lowerBound(series.candles, now - 86_400_000);
    const to = lowerBound(series.candles, now - series.intervalMs + 1);
    for (const c of series.candles.slice(from, to)) {
      [high, low, volume] = [Math.max(high, c.high), Math.min(low, c.low), volume + c.volume];
    }
  }
  return {
    symbol,
    priceChange: fmt8(last - open),
    priceChangePercent: ((last - open) / open * 100).toFixed(3),
    weightedAvgPrice: fmt8((high + low + last) / 3),
    prevClosePrice: fmt8(open),
    lastPrice: fmt8(last),
    lastQty: "0.00100000",
    bidPrice: fmt8(last),
    bidQty: "1.00000000",
    askPrice: fmt8(last),
    askQty: "1.00000000",
    openPrice: fmt8(open),
    highPrice: fmt8(high),
    lowPrice: fmt8(low),
    volume: fmt8(volume),
    quoteVolume: fmt8(volume * last),
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: 1,
    lastId: 2,
    count: 2,
  };
}
