/**
 * The floor of a whole backtest process: the least a Deno script can do for the same result.
 * It opens the DB with raw `node:sqlite`, reads the market's candles from the `candles` table
 * into six `Float64Array`s (array-mode pages, the fastest plain read) and runs the hand-written
 * `sma_cross` loop over them. Prints one JSON line: phase marks (ms since the process started,
 * and epoch ms), the loop's trade count (and whether it ends holding) and the peak RSS.
 *   deno run --allow-read --allow-env tools/bench/process_floor_main.ts DB_PATH EXCHANGE SYMBOL TIMEFRAME
 */
import { DatabaseSync } from "node:sqlite";
import process from "node:process";
import { loopSmaCross } from "./_engine_loops.ts";

const PAGE = 8_192;
const FEE = 0.001;

const marks: Record<string, [number, number]> = {};
const mark = (name: string) => marks[name] = [performance.now(), Date.now()];

const [path, exchange, symbol, timeframe] = Deno.args;
const db = new DatabaseSync(path, { readOnly: true });
mark("ready");
const key = "exchange = ? AND symbol = ? AND timeframe = ?";
const [n] = Object.values(
  db.prepare(`SELECT count(*) FROM candles WHERE ${key}`).get(exchange, symbol, timeframe)!,
) as number[];
const page = db.prepare(
  `SELECT open_time_ms, open, high, low, close, volume FROM candles WHERE ${key} ` +
    "AND open_time_ms > ? ORDER BY open_time_ms LIMIT ?",
);
(page as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
const columns = {
  length: n,
  openTimeMs: new Float64Array(n),
  open: new Float64Array(n),
  high: new Float64Array(n),
  low: new Float64Array(n),
  close: new Float64Array(n),
  volume: new Float64Array(n),
};
let at = 0;
let after = -Infinity;
for (;;) {
  const rows = page.all(exchange, symbol, timeframe, after, PAGE) as unknown as number[][];
  for (const row of rows) {
    columns.openTimeMs[at] = row[0];
    columns.open[at] = row[1];
    columns.high[at] = row[2];
    columns.low[at] = row[3];
    columns.close[at] = row[4];
    columns.volume[at++] = row[5];
  }
  if (rows.length < PAGE) break;
  after = columns.openTimeMs[at - 1];
}
mark("candles");
const result = loopSmaCross(columns, 10, 30, FEE);
mark("run");
db.close();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
Deno.stdout.writeSync(
  new TextEncoder().encode(
    JSON.stringify({
      marks,
      candles: at,
      trades: result.trades,
      holding: result.base > 0,
      peakRssMb,
    }) + "\n",
  ),
);
