/** Real candles for the emulators, from `data/samples/<exchange>_*.csv`, aggregated where needed. */
import { INTERVAL_MS } from "./emulator_clock.ts";

/** One candle as the emulator serves it. */
export interface SourceCandle {
  openTimeMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Candles of one symbol and interval, ascending by open time. */
export interface Series {
  readonly intervalMs: number;
  readonly candles: readonly SourceCandle[];
}

const DEFAULT_DIR = new URL("../../data/samples/", import.meta.url);

/** Index of the first candle with open time >= timeMs. */
export function lowerBound(candles: readonly SourceCandle[], timeMs: number): number {
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (candles[mid].openTimeMs < timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Parses `timestamp,open,high,low,close,volume` CSV text. */
export function parseCandleCsv(text: string): SourceCandle[] {
  const rows: SourceCandle[] = [];
  for (const line of text.split("\n").slice(1)) {
    if (line.trim() === "") continue;
    const [t, o, h, l, c, v] = line.split(",").map(Number);
    rows.push({ openTimeMs: t, open: o, high: h, low: l, close: c, volume: v });
  }
  return rows;
}

const WEEK_MS = 604_800_000;
/** Binance's weeks open on Monday 00:00 UTC; epoch 0 was a Thursday. */
const MONDAY_OFFSET_MS = 4 * 86_400_000;

/** Open time of the candle of `intervalMs` that contains `timeMs`. */
export function alignOpen(timeMs: number, intervalMs: number): number {
  const offsetMs = intervalMs === WEEK_MS ? MONDAY_OFFSET_MS : 0;
  return Math.floor((timeMs - offsetMs) / intervalMs) * intervalMs + offsetMs;
}

/** Aggregates candles into a coarser interval (missing source candles stay missing). */
export function aggregate(candles: readonly SourceCandle[], intervalMs: number): SourceCandle[] {
  const out: SourceCandle[] = [];
  for (const c of candles) {
    const openTimeMs = alignOpen(c.openTimeMs, intervalMs);
    const last = out[out.length - 1];
    if (last && last.openTimeMs === openTimeMs) {
      last.high = Math.max(last.high, c.high);
      last.low = Math.min(last.low, c.low);
      last.close = c.close;
      last.volume += c.volume;
    } else out.push({ ...c, openTimeMs });
  }
  return out;
}

/** The still-open candle at `nowMs`: its values pro-rated by the elapsed share of the interval. */
export function partialCandle(c: SourceCandle, intervalMs: number, nowMs: number): SourceCandle {
  const f = Math.min(1, Math.max(0, (nowMs - c.openTimeMs) / intervalMs));
  const close = c.open + (c.close - c.open) * f;
  const high = Math.max(c.open, close, c.open + (c.high - c.open) * f);
  const low = Math.min(c.open, close, c.open - (c.open - c.low) * f);
  return { openTimeMs: c.openTimeMs, open: c.open, high, low, close, volume: c.volume * f };
}

/**
 * Loads series lazily by `SYMBOL` and interval; derives missing intervals from finer files.
 * `exchange` picks the files' prefix: `binance` (default) reads `binance_<BASE>-<QUOTE>_<tf>.csv`,
 * `kraken` reads `kraken_…`.
 */
export class CandleSource {
  #files = new Map<string, Map<number, URL>>();
  #cache = new Map<string, Series | null>();

  constructor(dir: URL = DEFAULT_DIR, exchange = "binance") {
    const pattern = new RegExp(`^${exchange}_([A-Z0-9]+)-([A-Z0-9]+)_(\\w+)\\.csv$`);
    for (const entry of safeReadDir(dir)) {
      const m = pattern.exec(entry);
      const ms = m ? INTERVAL_MS[m[3]] : undefined;
      if (!m || ms === undefined) continue;
      const symbol = m[1] + m[2];
      if (!this.#files.has(symbol)) this.#files.set(symbol, new Map());
      this.#files.get(symbol)!.set(ms, new URL(entry, dir));
    }
  }

  /** Symbols with at least one CSV. */
  symbols(): string[] {
    return [...this.#files.keys()];
  }

  /** The series for a symbol and interval, or null when no file can produce it. */
  series(symbol: string, intervalMs: number): Series | null {
    const key = `${symbol}:${intervalMs}`;
    if (!this.#cache.has(key)) this.#cache.set(key, this.#build(symbol, intervalMs));
    return this.#cache.get(key)!;
  }

  /** The finest series covering `atMs` (else the finest at all): for prices and order matching. */
  finest(symbol: string, atMs: number): Series | null {
    const intervals = [...(this.#files.get(symbol)?.keys() ?? [])].sort((a, b) => a - b);
    const all = intervals.map((ms) => this.series(symbol, ms)).filter((s) =>
      s && s.candles.length > 0
    );
    const covering = all.find((s) => {
      const first = s!.candles[0].openTimeMs;
      const last = s!.candles[s!.candles.length - 1].openTimeMs + s!.intervalMs;
      return first <= atMs && atMs < last;
    });
    return covering ?? all[0] ?? null;
  }

  /** Overwrites fields of one served candle (to serve a bad row); false when there is none. */
  patch(
    symbol: string,
    intervalMs: number,
    openTimeMs: number,
    values: Partial<SourceCandle>,
  ): boolean {
    const candles = this.series(symbol, intervalMs)?.candles as SourceCandle[] | undefined;
    const i = candles ? lowerBound(candles, openTimeMs) : -1;
    if (!candles || candles[i]?.openTimeMs !== openTimeMs) return false;
    candles[i] = { ...candles[i], ...values, openTimeMs };
    return true;
  }

  #build(symbol: string, intervalMs: number): Series | null {
    const files = this.#files.get(symbol);
    if (!files) return null;
    const exact = files.get(intervalMs);
    if (exact) return { intervalMs, candles: parseCandleCsv(Deno.readTextFileSync(exact)) };
    const divisors = [...files.keys()].filter((ms) => ms < intervalMs && intervalMs % ms === 0);
    if (divisors.length === 0) return null;
    const base = this.series(symbol, Math.max(...divisors))!;
    return { intervalMs, candles: aggregate(base.candles, intervalMs) };
  }
}

function safeReadDir(dir: URL): string[] {
  try {
    return [...Deno.readDirSync(dir)].filter((e) => e.isFile).map((e) => e.name).sort();
  } catch {
    return [];
  }
}
