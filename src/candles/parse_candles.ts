/** Parses candle files (our CSV, freqtrade JSON) into validated rows; pure, no I/O. */
import { type CandleProblem, checkOhlcv } from "../core/check_ohlcv.ts";
import { DataError } from "../core/errors.ts";
import type { CandleRow } from "../core/types.ts";
import { type Timeframe, timeframeMs, TIMEFRAMES } from "../timeframes/mod.ts";
import { checkTime } from "./candle_checks.ts";

/** The exact CSV header of the bundled samples and of `candles export`. */
export const CANDLE_CSV_HEADER = "timestamp,open,high,low,close,volume";

/** How to parse. */
export interface ParseCandlesOptions {
  /** Shown in errors: `Cannot import "<file>": …`. */
  readonly file: string;
  readonly timeframe: Timeframe;
  /** Skip and count bad rows instead of failing. */
  readonly skipInvalid?: boolean;
  /** `csv` or `json`; guessed from the first character when absent. */
  readonly format?: "csv" | "json";
}

/** A skipped row and why. */
export interface SkippedRow {
  readonly line: number;
  readonly message: string;
}

/** Valid rows in file order and the rows skipped with `skipInvalid`. */
export interface ParsedCandles {
  readonly rows: CandleRow[];
  readonly skipped: SkippedRow[];
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function fail(file: string, where: string, why: string): DataError {
  return new DataError(`Cannot import "${file}": ${where}${why}`);
}

function decode(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (error) {
    throw new DataError(`Cannot import "${file}": the file is not UTF-8 text`, { cause: error });
  }
}

/** Parses and validates a whole file; throws a one-line `DataError` on the first bad row. */
export function parseCandles(bytes: Uint8Array, options: ParseCandlesOptions): ParsedCandles {
  const text = decode(options.file, bytes);
  if (text.trim() === "") throw fail(options.file, "", "the file is empty");
  const format = options.format ?? (text.trimStart().startsWith("[") ? "json" : "csv");
  const collector = new RowCollector(options, format === "json" ? "row" : "line");
  if (format === "json") parseJson(text, collector);
  else parseCsv(text, collector);
  return collector.finish();
}

function parseCsv(text: string, collector: RowCollector): void {
  const file = collector.file;
  let end = text.indexOf("\n");
  const header = (end === -1 ? text : text.slice(0, end)).replace(/\r$/, "");
  if (header !== CANDLE_CSV_HEADER) {
    throw fail(file, "line 1: ", `header: must be "${CANDLE_CSV_HEADER}" (got "${header}")`);
  }
  let line = 1;
  let start = end + 1;
  while (end !== -1 && start < text.length) {
    line++;
    end = text.indexOf("\n", start);
    const raw = end === -1 ? text.slice(start) : text.slice(start, end);
    start = end + 1;
    const content = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (content === "") {
      collector.reject(line, { field: "line", why: "is empty" });
      continue;
    }
    const row = splitRow(content);
    if (row === null) {
      const count = content.split(",").length;
      const truncated = end === -1 && count < 6;
      const why = truncated
        ? `truncated last line (${count} of 6 fields)`
        : `must have 6 fields (got ${count})`;
      collector.reject(line, { field: "line", why });
      continue;
    }
    collector.add(line, row, () => content.split(","));
  }
}

// indexOf slicing: this is the hot loop of a 1M-row import, so no split/map per line.
function splitRow(content: string): CandleRow | null {
  const c1 = content.indexOf(",");
  const c2 = content.indexOf(",", c1 + 1);
  const c3 = content.indexOf(",", c2 + 1);
  const c4 = content.indexOf(",", c3 + 1);
  const c5 = content.indexOf(",", c4 + 1);
  if (c1 < 0 || c2 < 0 || c3 < 0 || c4 < 0 || c5 < 0 || content.indexOf(",", c5 + 1) >= 0) {
    return null;
  }
  return [
    toNumber(content.slice(0, c1)),
    toNumber(content.slice(c1 + 1, c2)),
    toNumber(content.slice(c2 + 1, c3)),
    toNumber(content.slice(c3 + 1, c4)),
    toNumber(content.slice(c4 + 1, c5)),
    toNumber(content.slice(c5 + 1)),
  ];
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Decimal text as a number, NaN otherwise; `Number()` alone accepts " 1", "0x1" and "". */
function toNumber(text: string): number {
  const value = Number(text);
  if (Number.isNaN(value) || text.length === 0) return NaN;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  const plain = (isDigit(first) || first === 45 || first === 43 || first === 46) &&
    (isDigit(last) || last === 46);
  if (plain && (text.length < 2 || isDigit(text.charCodeAt(1)) || text.charCodeAt(1) === 46)) {
    return value;
  }
  return NUMBER.test(text) ? value : NaN;
}

function parseJson(text: string, collector: RowCollector): void {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DataError(
      `Cannot import "${collector.file}": not valid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (!Array.isArray(data)) {
    throw fail(collector.file, "", "JSON must be an array of [ms, o, h, l, c, v] rows");
  }
  for (let i = 0; i < data.length; i++) {
    const row = data[i];
    if (!Array.isArray(row) || row.length !== 6) {
      collector.reject(i + 1, {
        field: "row",
        why: "must be [ms, open, high, low, close, volume]",
      });
      continue;
    }
    const values = row.map((value) => (typeof value === "number" ? value : NaN)) as CandleRow;
    collector.add(i + 1, values, () => row.map(String));
  }
}

const FIELDS = ["timestamp", "open", "high", "low", "close", "volume"];

/** Accepts or rejects rows in order and checks the file's spacing at the end. */
class RowCollector {
  readonly file: string;
  readonly rows: CandleRow[] = [];
  readonly skipped: SkippedRow[] = [];
  #options: ParseCandlesOptions;
  #unit: string;
  #previousMs: number | null = null;
  #minSpacingMs = Infinity;

  constructor(options: ParseCandlesOptions, unit: string) {
    this.file = options.file;
    this.#options = options;
    this.#unit = unit;
  }

  /** `texts` gives the raw fields, only needed for an error message. */
  add(line: number, row: CandleRow, texts: () => readonly string[]): void {
    for (let i = 0; i < 6; i++) {
      if (!Number.isFinite(row[i])) {
        return this.reject(line, { field: FIELDS[i], why: `not a number ("${texts()[i]}")` });
      }
    }
    const problem = checkOhlcv(row[1], row[2], row[3], row[4], row[5]) ??
      checkTime(row[0], this.#previousMs, this.#options.timeframe);
    if (problem) return this.reject(line, problem);
    if (this.#previousMs !== null) {
      this.#minSpacingMs = Math.min(this.#minSpacingMs, row[0] - this.#previousMs);
    }
    this.#previousMs = row[0];
    this.rows.push(row);
  }

  reject(line: number, problem: CandleProblem): void {
    const message = `${this.#unit} ${line}: ${problem.field}: ${problem.why}`;
    if (!this.#options.skipInvalid) throw fail(this.file, "", message);
    this.skipped.push({ line, message });
  }

  finish(): ParsedCandles {
    const { timeframe } = this.#options;
    // Two rows can straddle a gap; from three rows on, the smallest spacing is the timeframe.
    if (timeframe !== "1M" && this.rows.length >= 3) {
      const stepMs = timeframeMs(timeframe);
      if (this.#minSpacingMs !== stepMs) {
        throw fail(
          this.file,
          "",
          `timestamps are ${
            describeSpacing(this.#minSpacingMs)
          } apart, but --timeframe is ${timeframe}`,
        );
      }
    }
    if (this.rows.length === 0) throw fail(this.file, "", "no valid candles in the file");
    return { rows: this.rows, skipped: this.skipped };
  }
}

function describeSpacing(spacingMs: number): string {
  const name = TIMEFRAMES.find((tf) => tf !== "1M" && timeframeMs(tf) === spacingMs);
  return name ?? `${spacingMs} ms`;
}
