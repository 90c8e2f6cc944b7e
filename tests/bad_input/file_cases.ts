/** Bad files and environment: candle CSVs, environment variables, `.env` and DB files. */
import { VALID } from "./config_cases.ts";
import type { BadInputCase } from "./run_bad_input.ts";

const HEADER = "timestamp,open,high,low,close,volume";
const T0 = 1720569600000; // 2024-07-10 00:00 UTC
const H = 3_600_000;
const csv = (...rows: string[]) => [HEADER, ...rows, ""].join("\n");
const IMPORT = ["import", "--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h"];
const enc = (s: string) => new TextEncoder().encode(s);

/** Candle files for `candles import` beyond the parser's own table (src/candles/bad_csv_cases.ts). */
export const CSV_CASES: BadInputCase[] = [
  {
    name: "NaN price",
    task: "candles",
    args: [...IMPORT, "--file", "x.csv"],
    files: { "x.csv": csv(`${T0},100,110,90,105,1`, `${T0 + H},NaN,110,90,105,1`) },
    stderr: /"x\.csv": line 3: open: /,
  },
  {
    name: "Infinity volume",
    task: "candles",
    args: [...IMPORT, "--file", "x.csv"],
    files: { "x.csv": csv(`${T0},100,110,90,105,Infinity`) },
    stderr: /"x\.csv": line 2: volume: /,
  },
  {
    name: "negative volume",
    task: "candles",
    args: [...IMPORT, "--file", "x.csv"],
    files: { "x.csv": csv(`${T0},100,110,90,105,-1`) },
    stderr: /"x\.csv": line 2: volume: /,
  },
  {
    name: "extra column",
    task: "candles",
    args: [...IMPORT, "--file", "x.csv"],
    files: { "x.csv": csv(`${T0},100,110,90,105,1,7`) },
    stderr: /"x\.csv": line 2: /,
  },
  {
    name: "close above high",
    task: "candles",
    args: [...IMPORT, "--file", "x.csv"],
    files: { "x.csv": csv(`${T0},100,110,90,120,1`) },
    stderr: /"x\.csv": line 2: (high|close): /,
  },
  {
    name: "missing file",
    task: "candles",
    args: [...IMPORT, "--file", "nope.csv"],
    stderr: /"nope\.csv": no such file/,
  },
  {
    name: "file is a directory",
    task: "candles",
    args: [...IMPORT, "--file", "d.csv"],
    files: { "d.csv/": "" },
    stderr: /"d\.csv": is a directory/,
  },
  {
    name: "malformed JSON",
    task: "candles",
    args: [...IMPORT, "--format", "json", "--file", "x.json"],
    files: { "x.json": `[[${T0},100,110,90,105,1],[` },
    stderr: /"x\.json": /,
  },
];

/** Environment variables and the `.env` file. */
export const ENV_CASES: BadInputCase[] = [
  {
    name: "DATABASE_URL postgres",
    task: "candles",
    args: ["list"],
    env: { DATABASE_URL: "postgres://localhost/x" },
    stderr: /DATABASE_URL/,
  },
  {
    name: "DATABASE_URL empty path",
    task: "candles",
    args: ["list"],
    env: { DATABASE_URL: "sqlite:" },
    stderr: /DATABASE_URL/,
  },
  {
    name: "LOG_LEVEL unknown",
    task: "backfill",
    args: ["--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h"],
    env: { LOG_LEVEL: "verbose" },
    stderr: /LOG_LEVEL: .*verbose/,
  },
  {
    name: "BINANCE_API_URL not a URL",
    task: "backfill",
    args: ["--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h"],
    env: { BINANCE_API_URL: "localhost:9" },
    stderr: /BINANCE_API_URL: must be an http\(s\) URL/,
  },
  {
    name: ".env is a directory",
    task: "check_config",
    args: ["c.yaml"],
    files: { ".env/": "", "c.yaml": VALID },
    stderr: /"\.env": is a directory/,
  },
  {
    name: ".env not UTF-8",
    task: "check_config",
    args: ["c.yaml"],
    files: { ".env": new Uint8Array([0x41, 0x3d, 0xff, 0xfe, 0x0a]), "c.yaml": VALID },
    stderr: /"\.env": .*UTF-8/,
  },
];

const SQLITE_GARBAGE = (() => {
  const bytes = new Uint8Array(8192).map((_, i) => (i * 7919) % 251);
  bytes.set(enc("SQLite format 3\0"), 0);
  return bytes;
})();

/** Database files that are not ours to use. */
export const DB_CASES: BadInputCase[] = [
  {
    name: "DB is a directory",
    task: "candles",
    args: ["list"],
    files: { "dir.db/": "" },
    env: { DATABASE_URL: "sqlite:dir.db" },
    stderr: /"dir\.db": it is a directory/,
  },
  {
    name: "DB is a CSV file",
    task: "candles",
    args: ["list"],
    files: { "x.db": csv(`${T0},1,2,0.5,1,1`) },
    env: { DATABASE_URL: "sqlite:x.db" },
    stderr: /"x\.db": not an SQLite database/,
  },
  {
    name: "DB corrupt",
    task: "backtest",
    args: ["--config", "c.yaml"],
    files: { "c.yaml": VALID, "bad.db": SQLITE_GARBAGE },
    env: { DATABASE_URL: "sqlite:bad.db" },
    stderr: /"bad\.db": /,
  },
  {
    name: "dashboard DB missing",
    task: "dashboard",
    args: ["--once"],
    env: { DATABASE_URL: "sqlite:missing.db" },
    stderr: /missing\.db.*does not exist/,
  },
  {
    name: "dashboard DB not SQLite",
    task: "dashboard",
    args: ["--once"],
    files: { "x.db": "hello\n" },
    env: { DATABASE_URL: "sqlite:x.db" },
    stderr: /x\.db.*not an SQLite database/,
  },
  {
    name: "dashboard --db corrupt",
    task: "dashboard",
    args: ["--once", "--db", "sqlite:bad.db"],
    files: { "bad.db": SQLITE_GARBAGE },
    stderr: /bad\.db/,
  },
];
