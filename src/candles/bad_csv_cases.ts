/** Bad candle files and the error each must give; shared by the parser and task tests. */

const HEADER = "timestamp,open,high,low,close,volume";
const H = 3_600_000;
const T0 = 1720569600000; // 2024-07-10 00:00 UTC
const row = (i: number, o = 100, h = 110, l = 90, c = 105, v = 1) =>
  `${T0 + i * H},${o},${h},${l},${c},${v}`;

/** A named bad file (`.csv` unless `json`), its bytes, and a pattern its error must match. */
export interface BadCandleFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly error: RegExp;
}

const text = (lines: string[]) => new TextEncoder().encode(lines.join("\n"));

/** Every bad CSV input case for `--timeframe 1h`. */
export const BAD_CANDLE_FILES: readonly BadCandleFile[] = [
  {
    name: "wrong_header",
    bytes: text(["time,open,high,low,close,volume", row(0), ""]),
    error: /line 1: header: must be "timestamp,open,high,low,close,volume"/,
  },
  {
    name: "non_numeric",
    bytes: text([HEADER, row(0), `${T0 + H},abc,110,90,105,1`, ""]),
    error: /line 3: open: not a number \("abc"\)/,
  },
  {
    name: "negative_price",
    bytes: text([HEADER, row(0), row(1, 100, 110, -5, 105), ""]),
    error: /line 3: low: must be > 0 \(got -5\)/,
  },
  {
    name: "high_below_low",
    bytes: text([HEADER, row(0), row(1, 100, 80, 90, 85), ""]),
    error: /line 3: high: is below low \(high 80, low 90\)/,
  },
  {
    name: "misaligned",
    bytes: text([HEADER, row(0), `${T0 + H + 60_000},100,110,90,105,1`, ""]),
    error: /line 3: timestamp: \d+ is not aligned to 1h/,
  },
  {
    name: "unsorted",
    bytes: text([HEADER, row(0), row(2), row(1), ""]),
    error: /line 4: timestamp: not ascending/,
  },
  {
    name: "duplicate",
    bytes: text([HEADER, row(0), row(1), row(1), ""]),
    error: /line 4: timestamp: duplicate of the previous row/,
  },
  {
    name: "truncated",
    bytes: text([HEADER, row(0), row(1), `${T0 + 2 * H},100,11`]),
    error: /line 4: line: truncated last line \(3 of 6 fields\)/,
  },
  { name: "empty", bytes: new Uint8Array(0), error: /the file is empty/ },
  {
    name: "not_utf8",
    bytes: new Uint8Array([...text([HEADER, row(0), ""]), 0xff, 0xfe, 0x41, 0x0a]),
    error: /the file is not UTF-8 text/,
  },
  {
    name: "timeframe_disagrees",
    bytes: text([HEADER, row(0), row(2), row(4), row(6), ""]),
    error: /timestamps are 2h apart, but --timeframe is 1h/,
  },
];

/** A valid 1h file of `count` candles from 2024-07-10. */
export function goodCandleCsv(count: number): Uint8Array {
  return text([HEADER, ...Array.from({ length: count }, (_, i) => row(i)), ""]);
}
