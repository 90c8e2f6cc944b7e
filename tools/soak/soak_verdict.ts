/** Turns what the soak saw into figures and pass/fail checks. */
import { openDatabase } from "../../src/storage/database.ts";
import { maskDatabaseUrl } from "../../src/storage/database_url.ts";
import type { SqlDatabase } from "../../src/storage/sql_database.ts";
import type { HeartbeatFigures } from "./heartbeat_sampler.ts";
import {
  type CheckResult,
  compareCandles,
  compareOrders,
  countBusyLines,
  POSTGRES_BUSY,
  SQLITE_BUSY,
} from "./soak_checks.ts";
import { isPostgresUrl, rowTexts, tableNames } from "./soak_database.ts";
import type { SecretScan } from "../../tests/support/secret_scan.ts";
import { secretProblems } from "./secret_check.ts";
import type { LoopFigures } from "./soak_loops.ts";
import type { SoakWorld } from "./soak_setup.ts";
import { percentile, type ProbeResult } from "./write_probe.ts";

/** What the run loop hands over. */
export interface SoakObservations {
  readonly startedMs: number;
  readonly runMs: number;
  readonly marketMs: number;
  readonly traderExits: readonly { name: string; code: number }[];
  readonly backfill: LoopFigures;
  readonly dashboard: LoopFigures;
  readonly probe: ProbeResult;
  readonly heartbeats: ReadonlyMap<string, HeartbeatFigures>;
  /** The secret scan of the DB (SQLite: file and WAL; PostgreSQL: tables), while trading. */
  readonly databaseScan: SecretScan;
}

/** The soak's result: `logs/soak-report.json` holds it as is. */
export interface SoakRun {
  readonly ok: boolean;
  /** The DB it ran on, password masked (`sqlite:…` or `postgres://…?schema=soak_…`). */
  readonly database: string;
  readonly startedAt: string;
  readonly runtimeMs: number;
  readonly marketMs: number;
  readonly instances: Record<string, number>;
  readonly orders: Record<string, number>;
  readonly candles: { series: number; rows: number };
  readonly writeLatencyMs: {
    samples: number;
    p50: number | null;
    p99: number | null;
    max: number | null;
  };
  readonly heartbeats: Record<string, HeartbeatFigures>;
  readonly rateLimit: {
    limitWeight1m: number;
    maxWeight1m: number;
    requests: number;
    rejected429: number;
  };
  readonly checks: readonly CheckResult[];
  readonly dir: string;
}

function check(name: string, problems: readonly string[], okDetail: string): CheckResult {
  return problems.length === 0
    ? { name, ok: true, detail: okDetail }
    : { name, ok: false, detail: `${problems.length}: ${problems.slice(0, 3).join("; ")}` };
}

/**
 * SQLite: `PRAGMA integrity_check`. PostgreSQL keeps no such pragma: every row of every table is
 * read in full instead (a damaged page or TOAST value fails the read).
 */
function integrityCheck(db: SqlDatabase, postgres: boolean): CheckResult {
  if (!postgres) {
    const result = String(db.prepare("PRAGMA integrity_check").get()?.integrity_check);
    return check("PRAGMA integrity_check", result === "ok" ? [] : [result], "ok");
  }
  const problems: string[] = [];
  let [tables, rows] = [0, 0];
  for (const table of tableNames(db)) {
    tables++;
    try {
      for (const _ of rowTexts(db, table)) rows++;
    } catch (error) {
      problems.push(`${table}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (tables === 0) problems.push("no table in the schema");
  return check("every row of every table reads back", problems, `${tables} tables, ${rows} rows`);
}

/** Runs the end checks against the DB, the logs and the emulators. */
export async function soakVerdict(world: SoakWorld, seen: SoakObservations): Promise<SoakRun> {
  const postgres = isPostgresUrl(world.databaseUrl);
  const db = openDatabase(world.databaseUrl, { readOnly: true });
  try {
    const busy = await countBusyLines(
      [world.logDir, world.outputDir],
      postgres ? POSTGRES_BUSY : SQLITE_BUSY,
    );
    const secrets = await secretProblems(world, seen.databaseScan);
    const live = world.instances.filter((i) => i.mode === "live").map((i) => i.name);
    const paper = world.instances.filter((i) => i.mode === "paper").map((i) => i.name);
    const liveOrders = compareOrders(db, world.live?.orders() ?? [], live);
    const paperOrders = compareOrders(db, [], paper);
    const paperAtExchange = world.paper.orders().length;
    const signed = world.paper.requests().filter((r) => r.signed || r.hasApiKey).length;
    const candles = compareCandles(db, [
      { source: world.paper.book.source, marketNowMs: world.paper.clock.nowMs() },
      ...(world.live
        ? [{ source: world.live.book.source, marketNowMs: world.live.clock.nowMs() }]
        : []),
    ], "binance");
    const usage = [...world.paper.weightUsage(), ...(world.live?.weightUsage() ?? [])];
    const rejected = [...world.paper.requests(), ...(world.live?.requests() ?? [])]
      .filter((r) => r.status === 429 || r.status === 418).length;
    const stale = [...seen.heartbeats].filter(([, f]) => f.staleSamples > 0)
      .map(([name, f]) => `${name} stale ${f.staleSamples}× (max ${f.maxAgeMs} ms)`);
    const lat = seen.probe.latenciesMs;
    const badExits = seen.traderExits.filter((e) => e.code !== 0).map((e) =>
      `${e.name} exit ${e.code}`
    );
    const notStopped = (db.prepare("SELECT name, status FROM instances").all() as {
      name: string;
      status: string;
    }[]).filter((r) => r.status !== "stopped").map((r) => `${r.name} ${r.status}`);
    const checks = [
      check(
        postgres
          ? "no deadlock / serialization failure / lost connection"
          : "no SQLITE_BUSY / database is locked",
        busy.hits,
        `0 lines in ${busy.files} files`,
      ),
      check(
        "live orders: exchange = DB",
        liveOrders.problems,
        `${liveOrders.exchangeOrders} at exchange, ${liveOrders.dbOrders} in DB`,
      ),
      check("paper traders with keys send no order, sign nothing", [
        ...(paperAtExchange > 0 ? [`${paperAtExchange} orders at the paper emulator`] : []),
        ...(signed > 0 ? [`${signed} signed or keyed requests`] : []),
        ...paperOrders.problems.filter((p) => !/not at the exchange/.test(p)),
      ], `${paperOrders.dbOrders} paper orders in DB, 0 at exchange, 0 signed or keyed requests`),
      check(
        "candle rows = source",
        candles.problems,
        `${candles.rows} rows in ${candles.series} series`,
      ),
      check(
        "heartbeats never stale while alive",
        stale,
        `${seen.heartbeats.size} instances sampled`,
      ),
      check(
        "no 429 / 418 at the emulators",
        rejected > 0 ? [`${rejected} refused`] : [],
        `max ${
          Math.max(0, ...usage.map((u) => u.maxWeight1m))
        } of ${world.paper.state().weightLimit} weight/min`,
      ),
      check("writer probe: no failed write", seen.probe.errors, `${lat.length} writes`),
      check(
        "traders stop cleanly (exit 0, stopped)",
        [...badExits, ...notStopped],
        `${seen.traderExits.length} exit 0`,
      ),
      check("backfill and dashboard runs succeed", [
        ...seen.backfill.failures,
        ...seen.dashboard.failures,
      ], `${seen.backfill.runs} backfills, ${seen.dashboard.runs} dashboards`),
      integrityCheck(db, postgres),
      check(
        postgres
          ? "no API key or secret in logs, output or DB tables"
          : "no API key or secret in logs, output, DB or WAL",
        secrets.problems,
        secrets.detail,
      ),
    ];
    return {
      ok: checks.every((c) => c.ok),
      database: maskDatabaseUrl(world.databaseUrl),
      startedAt: new Date(seen.startedMs).toISOString(),
      runtimeMs: seen.runMs,
      marketMs: seen.marketMs,
      instances: {
        paperTraders: paper.length,
        liveTraders: live.length,
        backfillRuns: seen.backfill.runs,
        dashboardRuns: seen.dashboard.runs,
      },
      orders: {
        paperInDb: paperOrders.dbOrders,
        liveInDb: liveOrders.dbOrders,
        liveAtExchange: liveOrders.exchangeOrders,
        fills: Number(db.prepare("SELECT count(*) AS n FROM fills").get()?.n),
        decisions: Number(db.prepare("SELECT count(*) AS n FROM decisions").get()?.n),
      },
      candles: { series: candles.series, rows: candles.rows },
      writeLatencyMs: {
        samples: lat.length,
        p50: percentile(lat, 50),
        p99: percentile(lat, 99),
        max: lat.length === 0 ? null : Math.max(...lat),
      },
      heartbeats: Object.fromEntries(seen.heartbeats),
      rateLimit: {
        limitWeight1m: world.paper.state().weightLimit,
        maxWeight1m: usage.reduce((sum, u) => sum + u.maxWeight1m, 0),
        requests: usage.reduce((sum, u) => sum + u.requests, 0),
        rejected429: rejected,
      },
      checks,
      dir: world.dir,
    };
  } finally {
    db.close();
  }
}
