// deno-lint-ignore-file no-console
/**
 * Dashboard figures (a measurement script, not a test): refresh time with 50 instances and
 * 100k trades, peak RSS, and busy errors with 4 writer processes while the dashboard reads.
 *
 *   deno run -A tests/support/dashboard_measure.ts
 */
import { SqliteDashboardSource } from "../../src/dashboard/dashboard_source.ts";
import { writeTransaction } from "../../src/storage/write_transaction.ts";
import {
  createFixtureDb,
  putCandles,
  putEquity,
  putInstance,
  putTrade,
} from "./dashboard_fixtures.ts";

const INSTANCES = 50;
const TRADES = 100_000;
const EQUITY_PER_INSTANCE = 2_000;
const nowMs = Date.now();
const fx = await createFixtureDb();
writeTransaction(fx.db, () => {
  putCandles(fx.db, 1_000, { endMs: nowMs });
  for (let i = 0; i < INSTANCES; i++) {
    const name = `inst-${String(i).padStart(2, "0")}`;
    putInstance(fx.db, { name, positionBase: 0.1, entryPrice: 60_000, lastPrice: 60_500 }, nowMs);
    putEquity(
      fx.db,
      name,
      Array.from(
        { length: EQUITY_PER_INSTANCE },
        (_, k) => [nowMs - (EQUITY_PER_INSTANCE - k) * 60_000, 10_000 + k] as [number, number],
      ),
    );
    for (let t = 0; t < TRADES / INSTANCES; t++) {
      putTrade(fx.db, name, {
        entryTimeMs: nowMs - (t + 2) * 120_000,
        exitTimeMs: nowMs - (t + 1) * 120_000,
        entryPrice: 60_000,
        exitPrice: 60_100,
        amount: 0.1,
      });
    }
  }
});
fx.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");

const source = new SqliteDashboardSource(fx.url);
const timings: number[] = [];
for (let i = 0; i < 60; i++) {
  const started = performance.now();
  source.refresh(Date.now());
  timings.push(performance.now() - started);
}
const warm = timings.slice(10).sort((a, b) => a - b);
const instance = source.refresh(Date.now()).snapshot.instances[0];
const detailTimings: number[] = [];
for (let i = 0; i < 20; i++) {
  const started = performance.now();
  source.detail(instance);
  detailTimings.push(performance.now() - started);
}
detailTimings.sort((a, b) => a - b);
report("refresh (50 instances, 100k trades, 100k equity rows)", warm);
report("detail (240 candles, 400 equity, 50 trades)", detailTimings);

// 4 writers + the dashboard reading every 100 ms.
const writers = Array.from({ length: 4 }, (_, i) =>
  new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./dashboard_writer.ts", import.meta.url).pathname,
      fx.url,
      "--prefix",
      `w${i}`,
      "--instances",
      "3",
      "--interval-ms",
      "5",
      "--duration-ms",
      "10000",
    ],
    stdout: "piped",
  }).spawn());
let dashboardErrors = 0;
let reads = 0;
const timer = setInterval(() => {
  try {
    source.refresh(Date.now());
    reads++;
  } catch (error) {
    dashboardErrors++;
    console.error(String(error));
  }
}, 100);
const results = await Promise.all(
  writers.map(async (writer) =>
    JSON.parse(new TextDecoder().decode((await writer.output()).stdout))
  ),
);
clearInterval(timer);
source.close();
const busy = results.reduce((sum, r) => sum + r.busyErrors, 0);
const writes = results.reduce((sum, r) => sum + r.writes, 0);
console.log(
  `4 writers: ${writes} write transactions, ${busy} busy errors, slowest ${
    Math.max(...results.map((r) => r.slowestMs))
  } ms; dashboard: ${reads} refreshes, ${dashboardErrors} errors`,
);
const status = await Deno.readTextFile("/proc/self/status");
console.log(
  `peak RSS (VmHWM) of this process: ${
    /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
  } kB (includes building the fixture)`,
);
fx.db.close();
if (Deno.args.includes("--keep")) console.log(`kept ${fx.url}`);
else await Deno.remove(fx.dir, { recursive: true });

function report(label: string, sorted: number[]): void {
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  console.log(
    `${label}: median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${
      sorted[sorted.length - 1].toFixed(2)
    } ms`,
  );
}
