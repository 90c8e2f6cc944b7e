/** The JSON backtest report, in exactly the shape docs/backtesting.md documents. */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { ClosedTrade } from "../core/types.ts";
import type { Metrics } from "./metrics.ts";
import type { BacktestRun } from "./run_backtest.ts";

/** The tested range: requested bounds in epoch ms and how many candles it held. */
export interface BacktestRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly candles: number;
}

/** `--json FILE`'s content. */
export interface BacktestReport {
  readonly config: InstanceConfig;
  readonly range: BacktestRange;
  readonly metrics: Metrics;
  readonly trades: readonly ClosedTrade[];
  readonly equity: readonly (readonly [number, number])[];
}

/** The equity curve as columns: what the report's `equity` pairs are made from. */
export interface EquitySeries {
  readonly length: number;
  readonly timesMs: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

const SERIES = Symbol("equity series");

/**
 * Assembles the report; the config holds no secrets (they live only in the environment).
 * `equity` is built from the run's columns on first read: the reports read the columns directly
 * (`equitySeries`), so a million `[time, value]` pairs are never allocated unless asked for.
 */
export function buildReport(
  config: InstanceConfig,
  result: { run: BacktestRun; metrics: Metrics; range: BacktestRange },
): BacktestReport {
  const { run, metrics, range } = result;
  const trades = run.trades.map((t) => ({
    entryTimeMs: t.entryTimeMs,
    exitTimeMs: t.exitTimeMs,
    entryPrice: t.entryPrice,
    exitPrice: t.exitPrice,
    amount: t.amount,
    pnl: t.pnl,
    pnlPct: t.pnlPct,
    fees: t.fees,
    exitReason: t.exitReason,
  }));
  const series: EquitySeries = {
    length: run.equity.length,
    timesMs: run.timesMs,
    values: run.equity,
  };
  const report = { config, range, metrics, trades } as Record<string | symbol, unknown>;
  let pairs: [number, number][] | null = null;
  Object.defineProperty(report, "equity", {
    enumerable: true,
    get: () => {
      if (pairs === null) {
        pairs = new Array(series.length);
        for (let i = 0; i < series.length; i++) pairs[i] = [series.timesMs[i], series.values[i]];
      }
      return pairs;
    },
  });
  Object.defineProperty(report, SERIES, { value: series });
  return report as unknown as BacktestReport;
}

/** The report's equity as columns, without building the pairs when `buildReport` made it. */
export function equitySeries(report: BacktestReport): EquitySeries {
  const series = (report as unknown as Record<symbol, EquitySeries | undefined>)[SERIES];
  if (series !== undefined) return series;
  const { equity } = report;
  return {
    length: equity.length,
    timesMs: equity.map(([t]) => t),
    values: equity.map(([, v]) => v),
  };
}

/** The report as pretty JSON text, ending in a newline: `JSON.stringify(report, null, 2)`. */
export function formatReportJson(report: BacktestReport): string {
  const decoder = new TextDecoder();
  let text = "";
  for (const piece of reportJsonPieces(report)) text += decoder.decode(piece);
  return text;
}

/** What `JSON.stringify({ t: batch }, null, 2)` puts before the batch. */
const WRAP_HEAD = '{\n  "t": ';
/** Trades per piece of `reportJsonPieces`. */
const TRADES_PER_PIECE = 200;
/** Equity points per piece of `reportJsonPieces`. */
const POINTS_PER_PIECE = 8_192;
/**
 * Points per `writePoints` call: its one string of value texts (at most 25 bytes a value) then
 * stays below V8's large-object size (128 KB), so it dies young: larger ones went to the old
 * generation and piled up there until a full collection (up to 20 MB of heap at 1M points).
 */
const POINTS_PER_CALL = 2_048;
/**
 * Bytes kept per point: a point takes at most 76 (separators, a time and a value of at most 24
 * characters each), and a `writePoints` call writes up to 17 past its end (the last tail's cut
 * and word slack).
 */
const POINT_BYTES = 96;

const encoder = new TextEncoder();
const ascii = (text: string) => encoder.encode(text);

/**
 * The UTF-8 bytes of `formatReportJson` in pieces, byte for byte the same, so a writer can
 * stream a million-point report without holding it whole. Each piece stays valid while the next
 * one is made, until the one after is asked for (the equity pieces take turns in two buffers):
 * a writer may write a piece in the background while the next is formatted. The equity points
 * are written straight into bytes in `JSON.stringify`'s exact layout; the rest is
 * `JSON.stringify` itself.
 */
export function* reportJsonPieces(report: BacktestReport): Generator<Uint8Array> {
  yield* headPieces(report);
  yield* equityPieces(equitySeries(report));
}

/** The report up to its equity (config, range, metrics and trades), ending `"equity": `. */
function* headPieces(report: BacktestReport): Generator<Uint8Array> {
  const { config, range, metrics, trades } = report;
  // Up to the trades, in the report's key order: `before` ends with `"trades": 0\n}`.
  const before = JSON.stringify({ config, range, metrics, trades: 0 }, null, 2);
  yield ascii(before.slice(0, -3));
  // The trades a batch at a time, never one string of them all (3 MB for 10,000 trades): a
  // batch as the one field of an object is laid out at the depth of the report's trades, so
  // its text there is the same as inside the whole report.
  if (trades.length === 0) yield ascii("[]");
  for (let start = 0; start < trades.length; start += TRADES_PER_PIECE) {
    const end = Math.min(trades.length, start + TRADES_PER_PIECE);
    const wrapped = JSON.stringify({ t: trades.slice(start, end) }, null, 2);
    // `wrapped` is `{\n  "t": ` batch `\n}`.
    const batch = wrapped.slice(WRAP_HEAD.length, -2);
    // `batch` is "[\n    {…},\n    {…}\n  ]": the first keeps its "[", the last its "\n  ]".
    const inner = batch.slice(1, end === trades.length ? undefined : -4);
    yield ascii((start === 0 ? "[" : ",") + inner);
  }
  yield ascii(',\n  "equity": ');
}

/** The report's `equity` array and its closing; the pieces take turns in two buffers. */
function* equityPieces(series: EquitySeries): Generator<Uint8Array> {
  const n = series.length;
  if (n === 0) {
    yield ascii("[]\n}\n");
    return;
  }
  const buffers = [0, 1].map(() => new Uint8Array(POINTS_PER_PIECE * POINT_BYTES + 1));
  // Equity stays flat while out of the market: the previous value's text is reused.
  const last: LastValue = { value: NaN, text: "null" };
  for (let start = 0; start < n; start += POINTS_PER_PIECE) {
    const buffer = buffers[(start / POINTS_PER_PIECE) & 1];
    buffer[0] = start === 0 ? 0x5b : 0x2c; // "[" or ","
    const pieceEnd = Math.min(n, start + POINTS_PER_PIECE);
    let end = 1;
    for (let from = start; from < pieceEnd; from += POINTS_PER_CALL) {
      if (from > start) buffer[end++] = 0x2c;
      end = writePoints(
        buffer,
        end,
        series,
        from,
        Math.min(pieceEnd, from + POINTS_PER_CALL),
        last,
      );
    }
    yield buffer.subarray(0, end);
  }
  yield ascii("\n  ]\n}\n");
}

/** The last equity value written and its text. */
interface LastValue {
  value: number;
  text: string;
}

/** The distinct equity values of one piece, in order; reused (it keeps double elements). */
const fresh: number[] = [];

/** Four ASCII bytes as one little-endian u32 (the order they lie in the buffer). */
function word(text: string): number {
  let packed = 0;
  for (let k = 3; k >= 0; k--) packed = packed * 256 + text.charCodeAt(k);
  return packed;
}

/**
 * `"0000"`…`"9999"` as little-endian u32 words: four digits in one store. Filled by the first
 * report written (3 ms), not when the module loads before a backtest's first candle.
 */
const FOUR_DIGITS = new Uint32Array(10_000);

function fillFourDigits(): void {
  for (let i = 0; i < FOUR_DIGITS.length; i++) FOUR_DIGITS[i] = word(String(i).padStart(4, "0"));
}
/** The layout between the numbers of a point at depth 2, a word at a time. */
const NL_3SP = word("\n   ");
const SP_BRACKET_NL_SP = word(" [\n ");
const SPACES = word("    ");
const COMMA_NL_2SP = word(",\n  ");
const SP_BRACKET = 0x5d20; // " ]" as a little-endian u16
/** Open times of 13 digits (2001-09-09 to 2286-11-20) take the fast path. */
const MIN_13_DIGITS = 1e12;
const MAX_13_DIGITS = 1e13 - 1;

/** The fresh values' text of one `writePoints` call (`[a,b,…]`) as ASCII bytes. */
const TEXT_BYTES = new Uint8Array(POINTS_PER_CALL * 25 + 2);
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

/**
 * Writes points `start` to `end` (exclusive) at `at`, comma-separated; returns the end. Its own
 * small function, not the generator's loop: V8 then compiles this hot loop alone, quickly, and
 * not the whole generator (whose trade part left it without type feedback for the points).
 * Everything between one point's time and the next point's time (`,\n      ` value `\n    ]`
 * `,\n    [\n      `) is the same bytes while the value holds: a new value's bytes are written
 * straight into `out`, and when the next point repeats the value they are kept in `TAIL` and
 * copied four at a time (unaligned `DataView` stores are single instructions), so a point in a
 * flat stretch costs its time and a dozen stores. The last point's tail is cut after its `]`.
 * A 13-digit open time is written as one digit and three words from a table of four digits; its
 * two halves (5 and 8 digits) are carried from the time before by integer addition while the step
 * is a small whole number, as between candles. Any other time goes digit by digit.
 * The values that differ from the one before are formatted together by one `JSON.stringify` of
 * an array of them (doubles unboxed), which writes the numbers into one string: `String(value)`
 * made a heap string per value (265,000 of a million points at 1M sma_cross), and those grew the
 * young generation. That string is encoded into `TEXT_BYTES` at once and the texts are copied
 * out of the bytes: a number's text holds no "," or "]". A value equal to the one before reuses
 * its text, across pieces too (`last`).
 */
function writePoints(
  out: Uint8Array,
  at: number,
  series: EquitySeries,
  start: number,
  end: number,
  last: LastValue,
): number {
  const { timesMs, values } = series;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (FOUR_DIGITS[1] === 0) fillFourDigits(); // "0001" is never 0 once filled
  fresh.length = 0;
  let previous = last.value;
  for (let i = start; i < end; i++) {
    const value = values[i];
    if (value !== previous) {
      fresh.push(value);
      previous = value;
    }
  }
  // "[a,b,c]": each text ends at a "," or the closing "]". JSON numbers are ASCII.
  const texts = fresh.length > 0 ? JSON.stringify(fresh) : "";
  if (texts.length > 0) encoder.encodeInto(texts, TEXT_BYTES);
  let next = 1;
  let from = 0;
  let to = 0;
  let lastValue = last.value;
  let changed = false;
  // `TAIL` holds the current value's tail when `tailLength` > 0.
  let tailLength = makeTail(last.text);
  let tailWords = (tailLength + 3) >> 2;
  // Where the point before began its tail, and its length (to fill `TAIL` from when repeated).
  let tailAt = 0;
  let freshLength = 0;
  // The halves of the time before: `high` its first 5 digits, `low` its last 8 (NaN: none).
  let before = NaN;
  let high = 0;
  let low = 0;
  // The first point's opening; every later one comes at the end of the tail before it.
  writeOpening(view, out, at);
  at += OPENING_BYTES;
  for (let i = start; i < end; i++) {
    const time = timesMs[i];
    const step = time - before;
    if (step >= 0 && step < 1e8 && (step | 0) === step && time <= MAX_13_DIGITS) {
      low += step;
      if (low >= 1e8) {
        low -= 1e8;
        high++;
      }
      before = time;
    } else if (time >= MIN_13_DIGITS && time <= MAX_13_DIGITS && Math.floor(time) === time) {
      high = Math.floor(time / 1e8);
      low = time - high * 1e8;
      before = time;
    } else {
      before = NaN;
    }
    if (before === time) {
      const highHigh = (high / 1e4) | 0;
      const lowHigh = (low / 1e4) | 0;
      out[at] = 0x30 + highHigh;
      view.setUint32(at + 1, FOUR_DIGITS[high - highHigh * 1e4], true);
      view.setUint32(at + 5, FOUR_DIGITS[lowHigh], true);
      view.setUint32(at + 9, FOUR_DIGITS[low - lowHigh * 1e4], true);
      at += 13;
    } else {
      at = writeNumber(out, at, time);
    }
    const value = values[i];
    if (value !== lastValue) {
      lastValue = value;
      changed = true;
      tailAt = at;
      view.setUint32(at, COMMA_NL_2SP, true);
      view.setUint32(at + 4, SPACES, true);
      at += 8;
      from = next;
      let c = next;
      for (let b = TEXT_BYTES[c]; b !== COMMA && b !== CLOSE_BRACKET; b = TEXT_BYTES[++c]) {
        out[at++] = b;
      }
      to = c;
      next = c + 1;
      view.setUint32(at, NL_3SP, true);
      view.setUint16(at + 4, SP_BRACKET, true);
      out[at + 6] = COMMA;
      writeOpening(view, out, at + 7);
      at += 7 + OPENING_BYTES;
      freshLength = at - tailAt;
      tailLength = 0;
      continue;
    }
    if (tailLength === 0) {
      // The value repeats: its tail, just written, is kept for the rest of the stretch.
      tailLength = freshLength;
      tailWords = (tailLength + 3) >> 2;
      for (let w = 0; w < tailWords; w++) TAIL_WORDS[w] = view.getUint32(tailAt + 4 * w, true);
    }
    // Up to three bytes past the tail: the next time, or the cut below, covers them.
    for (let w = 0; w < tailWords; w++) view.setUint32(at + 4 * w, TAIL_WORDS[w], true);
    at += tailLength;
  }
  last.value = lastValue;
  if (changed) last.text = texts.slice(from, to);
  // The last point has no "," and opening after it.
  return at - 1 - OPENING_BYTES;
}

/** A point's opening at depth 2, `\n    [\n      `. */
const OPENING_BYTES = 13;

function writeOpening(view: DataView, out: Uint8Array, at: number): void {
  view.setUint32(at, NL_3SP, true);
  view.setUint32(at + 4, SP_BRACKET_NL_SP, true);
  view.setUint32(at + 8, SPACES, true);
  out[at + 12] = SPACE;
}

/** The bytes after a point's time up to the next point's time; `TAIL_WORDS` views them. */
const TAIL = new Uint8Array(128);
const TAIL_WORDS = new Uint32Array(TAIL.buffer);
const TAIL_VIEW = new DataView(TAIL.buffer);

/**
 * Makes `TAIL`: `,\n      ` then `text` (ASCII), `\n    ]`, `,` and the next point's opening.
 * Returns its length.
 */
function makeTail(text: string): number {
  TAIL_VIEW.setUint32(0, COMMA_NL_2SP, true);
  TAIL_VIEW.setUint32(4, SPACES, true);
  let at = 8;
  for (let c = 0; c < text.length; c++) TAIL[at++] = text.charCodeAt(c);
  TAIL_VIEW.setUint32(at, NL_3SP, true);
  TAIL_VIEW.setUint16(at + 4, SP_BRACKET, true);
  TAIL[at + 6] = COMMA;
  writeOpening(TAIL_VIEW, TAIL, at + 7);
  return at + 7 + OPENING_BYTES;
}

const SPACE = 0x20;

/**
 * Writes `value` as `JSON.stringify` would at `at`; returns the end. Safe non-negative integers
 * (open times) are written digit by digit in two 32-bit halves; anything else through `String`.
 */
function writeNumber(out: Uint8Array, at: number, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    const text = jsonNumber(value);
    for (let c = 0; c < text.length; c++) out[at++] = text.charCodeAt(c);
    return at;
  }
  const high = Math.floor(value / 1e8);
  const low = value - high * 1e8;
  if (high === 0) return writeInt(out, at, low);
  at = writeInt(out, at, high);
  // The low half always has eight digits, leading zeros included.
  let x = low | 0;
  for (let i = at + 7; i >= at; i--) {
    const q = (x / 10) | 0;
    out[i] = 0x30 + x - q * 10;
    x = q;
  }
  return at + 8;
}

/** Writes a non-negative integer below 2^31 without leading zeros. */
function writeInt(out: Uint8Array, at: number, value: number): number {
  let x = value | 0;
  let digits = 1;
  for (let y = x; y >= 10; y = (y / 10) | 0) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    const q = (x / 10) | 0;
    out[i] = 0x30 + x - q * 10;
    x = q;
  }
  return at + digits;
}

/** A number as `JSON.stringify` writes it. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : "null";
}
