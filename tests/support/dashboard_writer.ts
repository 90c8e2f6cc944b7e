/**
 * A stand-in trader for dashboard tests and measurements: heartbeats, equity samples and trades,
 * written like a trader writes them (short BEGIN IMMEDIATE transactions), until its time is up.
 *
 *   deno run -A tests/support/dashboard_writer.ts DB_URL --prefix w1 --instances 3
 *     --interval-ms 100 --duration-ms 5000
 *
 * Prints one JSON line at the end: writes, busy errors and the slowest write in ms.
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../../src/storage/database.ts";
import { writeTransaction } from "../../src/storage/write_transaction.ts";
import { putCandles, putEquity, putInstance, putTrade } from "./dashboard_fixtures.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    prefix: { type: "string", default: "writer" },
    instances: { type: "string", default: "1" },
    "interval-ms": { type: "string", default: "200" },
    "duration-ms": { type: "string", default: "5000" },
    "log-dir": { type: "string" },
  },
});
const db = openDatabase(positionals[0]);
// Candles for the detail chart, as the backfiller would have stored them.
writeTransaction(db, () => putCandles(db, 200, { endMs: Date.now() }));
const names = Array.from({ length: Number(values.instances) }, (_, i) => `${values.prefix}-${i}`);
const intervalMs = Number(values["interval-ms"]);
const endMs = Date.now() + Number(values["duration-ms"]);
let writes = 0;
let busyErrors = 0;
let slowestMs = 0;

for (let tick = 0; Date.now() < endMs; tick++) {
  const started = performance.now();
  try {
    writeTransaction(db, () => {
      const nowMs = Date.now();
      for (const name of names) writeTick(name, tick, nowMs);
    });
    writes++;
  } catch (error) {
    if (!/locked|busy/i.test(String(error))) throw error;
    busyErrors++;
  }
  slowestMs = Math.max(slowestMs, performance.now() - started);
  if (values["log-dir"]) {
    const line = JSON.stringify({
      "@timestamp": new Date().toISOString(),
      level: "INFO",
      message: `tick ${tick}`,
    });
    for (const name of names) {
      await Deno.writeTextFile(`${values["log-dir"]}/${name}.jsonl`, `${line}\n`, { append: true });
    }
  }
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
db.close();
// deno-lint-ignore no-console
console.log(
  JSON.stringify({ prefix: values.prefix, writes, busyErrors, slowestMs: Math.round(slowestMs) }),
);

function writeTick(name: string, tick: number, nowMs: number): void {
  const price = 60_000 + Math.sin(tick / 5) * 300;
  const equityQuote = 10_000 + tick;
  putInstance(db, {
    name,
    heartbeatMs: nowMs,
    equityQuote,
    positionBase: tick % 4 < 2 ? 0.1 : 0,
    entryPrice: tick % 4 < 2 ? 60_000 : null,
    lastPrice: price,
    lastSignal: tick % 2 ? "buy" : "sell",
    lastSignalMs: nowMs,
  }, nowMs);
  putEquity(db, name, [[nowMs, equityQuote]]);
  if (tick % 5 === 4) {
    putTrade(db, name, {
      entryTimeMs: nowMs - 60_000,
      exitTimeMs: nowMs,
      entryPrice: 60_000,
      exitPrice: price,
      amount: 0.1,
    });
  }
}
