/**
 * One instance name, one running process: real `trade` processes on one database (SQLite, and
 * PostgreSQL at 127.0.0.1:5432 or TEST_DATABASE_URL), two working folders standing for two hosts.
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import {
  killTrader,
  spawnTraderIn,
  type TraderProcess,
  waitFor,
  withStore,
  writeConfig,
} from "../tests/support/trader_process.ts";
import { freshSchema, LOCAL_POSTGRES_URL } from "../tests/support/test_database.ts";
import { parseTraderState } from "../src/trader/trader_state.ts";

const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2024, 7, 1, 0, 30);
const CONFIG = `exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_pct: 50
trade:
  # The lease lasts three heartbeats (24 s): long enough that a restart on a loaded machine still
  # starts before a killed holder's lease expires, so the lock file's fast takeover is what shows.
  heartbeat_seconds: 8
  close_delay_ms: 0
`;

type Run = TraderProcess;

/** `tasks/trade.ts` as a process working in `cwd` (its own data/ and lock files). */
function trade(cwd: string, config: string, env: Record<string, string>, clock: string): Run {
  return spawnTraderIn(cwd, config, env, [clock]);
}

async function waitRunning(run: Run, url: string, name: string): Promise<void> {
  let exited = false;
  run.status.then(() => exited = true);
  await waitFor(`${name} running as pid ${run.child.pid}`, async () => {
    if (exited) throw new Error(`${name} exited while starting: ${await run.stderr}`);
    return withStore(url, (store) => {
      const row = store.instances.get(name);
      return row?.status === "running" && row.pid === run.child.pid;
    });
  });
}

function lastCandleMs(url: string, name: string): number {
  return withStore(url, (store) => {
    const state = parseTraderState(store.instances.get(name)?.state, "paper");
    return state?.kernel.lastCandleMs ?? 0;
  });
}

async function leaseScenario(databaseUrl: string): Promise<void> {
  const hostA = await Deno.makeTempDir({ prefix: "lease_host_a_" });
  const hostB = await Deno.makeTempDir({ prefix: "lease_host_b_" });
  await using emulator = new BinanceEmulator({ startMs: START_MS });
  const name = "lease-btc";
  const config = await writeConfig(hostA, name, CONFIG);
  const env = { DATABASE_URL: databaseUrl, BINANCE_API_URL: emulator.url };
  const clock = `--test-clock=emulator:${emulator.url}`;
  const a = trade(hostA, config, { ...env, LOG_DIR: `${hostA}/logs` }, clock);
  try {
    await waitRunning(a, databaseUrl, name);
    emulator.advanceCandles(1, "1h");
    const handled = Math.floor(emulator.clock.nowMs() / HOUR_MS) * HOUR_MS - HOUR_MS;
    await waitFor("A's first candle", () => lastCandleMs(databaseUrl, name) >= handled);

    // "Host" B while A runs: refused in one line naming A's host and pid; A's row untouched.
    const refused = trade(hostB, config, { ...env, LOG_DIR: `${hostB}/logs` }, clock);
    assert.equal((await refused.status).code, 2);
    const line = (await refused.stderr).trim();
    assert.equal(line.split("\n").length, 1, line);
    assert.match(line, new RegExp(`running on host ${Deno.hostname()} as pid ${a.child.pid}\\b`));
    withStore(databaseUrl, (store) => {
      const row = store.instances.get(name);
      assert.equal(row?.status, "running");
      assert.equal(row?.pid, a.child.pid);
    });

    // A's host dies: B waits for the lease to expire, then takes over where A left off.
    a.child.kill("SIGKILL");
    await a.status;
    const expiresMs = withStore(databaseUrl, (store) => store.leases.get(name)!.expiresMs);
    assert.ok(expiresMs > Date.now(), "the killed holder's lease is still fresh");
    await waitFor("A's lease to expire", () => Date.now() > expiresMs + 100, 40_000);
    const b = trade(hostB, config, { ...env, LOG_DIR: `${hostB}/logs` }, clock);
    try {
      await waitRunning(b, databaseUrl, name);
      withStore(databaseUrl, (store) => assert.equal(store.leases.get(name)?.pid, b.child.pid));
      assert.ok(lastCandleMs(databaseUrl, name) >= handled, "B resumed A's state");
      emulator.advanceCandles(1, "1h");
      await waitFor("B's next candle", () => lastCandleMs(databaseUrl, name) >= handled + HOUR_MS);
      // Killed and restarted in the same folder: its lock file tells the holder is dead, so the
      // restart takes over before the lease expires (as a crash restart must).
      b.child.kill("SIGKILL");
      await b.status;
      const bExpiresMs = withStore(databaseUrl, (store) => store.leases.get(name)!.expiresMs);
      const c = trade(hostB, config, { ...env, LOG_DIR: `${hostB}/logs` }, clock);
      try {
        await waitRunning(c, databaseUrl, name);
        const lease = withStore(databaseUrl, (store) => store.leases.get(name)!);
        assert.equal(lease.pid, c.child.pid);
        assert.ok(lease.acquiredMs < bExpiresMs, "took over before the dead holder's expiry");
        c.child.kill("SIGTERM");
        assert.equal((await c.status).code, 0, await c.stderr);
        // A clean stop gives the lease up: the next start anywhere needs no wait.
        withStore(databaseUrl, (store) => assert.equal(store.leases.get(name), null));
      } finally {
        await killTrader(c);
      }
    } finally {
      await killTrader(b);
    }
  } finally {
    await killTrader(a);
    await Deno.remove(hostA, { recursive: true });
    await Deno.remove(hostB, { recursive: true });
  }
}

Deno.test("trade lease on SQLite: a second process with the same name is refused naming host and pid, and takes over once the killed holder's lease expires", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lease_db_" });
  try {
    await leaseScenario(`sqlite:${dir}/trading.db`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("trade lease on PostgreSQL: a second process with the same name is refused naming host and pid, and takes over once the killed holder's lease expires", async () => {
  using schema = freshSchema(Deno.env.get("TEST_DATABASE_URL") ?? LOCAL_POSTGRES_URL);
  await leaseScenario(schema.url);
});
