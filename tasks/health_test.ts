import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { type InstanceRecord, openStore } from "../src/storage/mod.ts";
import { freshSchema, LOCAL_POSTGRES_URL } from "../tests/support/test_database.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const NAME = "btc-binance-1h";

function record(heartbeatMs: number, status: InstanceRecord["status"]): InstanceRecord {
  return {
    name: NAME,
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    strategy: "rsi_macd",
    mode: "paper",
    status,
    statusReason: status === "running" ? null : "SIGTERM",
    pid: 1,
    startedMs: heartbeatMs - 60_000,
    heartbeatMs,
    equityQuote: 10000,
    quoteBalance: 10000,
    positionBase: 0,
    entryPrice: null,
    lastPrice: null,
    realizedPnlQuote: 0,
    lastSignal: null,
    lastSignalMs: null,
    openOrders: 0,
    lastError: null,
    state: null,
    config: null,
  };
}

/** Runs the health task as the container does: may read, never write (the health permission set). */
async function health(dir: string, args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-q",
      `--allow-read=${dir},./config,./.env,./node_modules`,
      "--allow-env",
      "tasks/health.ts",
      ...args,
    ],
    cwd: ROOT,
    env: { DATABASE_URL: `sqlite:${dir}/trading.db`, ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

async function withInstance(
  instance: InstanceRecord | null,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "health_" });
  try {
    if (instance) {
      const store = openStore(`sqlite:${dir}/trading.db`);
      store.instances.upsert(instance);
      store.close();
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("health task exits 0 for a running instance with a fresh heartbeat", async () => {
  await withInstance(record(Date.now(), "running"), async (dir) => {
    const result = await health(dir, ["--name", NAME]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^btc-binance-1h is running; heartbeat \d+ s old$/);
  });
});

Deno.test("health task exits 1 with one line for a stale heartbeat or a stopped instance", async () => {
  await withInstance(record(Date.now() - 120_000, "running"), async (dir) => {
    const result = await health(dir, ["--name", NAME]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^Cannot confirm health of btc-binance-1h: heartbeat is 1\d\d s old \(limit 60 s\)$/,
    );
  });
  await withInstance(record(Date.now(), "stopped"), async (dir) => {
    const result = await health(dir, ["--name", NAME]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      "Cannot confirm health of btc-binance-1h: status is stopped (SIGTERM)",
    );
  });
});

Deno.test("health task takes the instance and its heartbeat interval from $TRADER_CONFIG", async () => {
  await withInstance(record(Date.now() - 120_000, "running"), async (dir) => {
    const config = `${dir}/btc-binance-1h.yaml`;
    const text = await Deno.readTextFile(`${ROOT}config/strategies/btc-binance-1h.yaml`);
    // 60 s heartbeats allow 180 s, so a 120 s old heartbeat is still fresh.
    await Deno.writeTextFile(config, `${text}\ntrade:\n  heartbeat_seconds: 60\n`);
    const fresh = await health(dir, [], { TRADER_CONFIG: config });
    assert.equal(fresh.code, 0, fresh.stderr);
    const strict = await health(dir, ["--config", config, "--max-age", "90"]);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /limit 90 s\)$/);
  });
});

Deno.test("health task exits 1, never 2, when the database or instance is missing", async () => {
  await withInstance(null, async (dir) => {
    const noDb = await health(dir, ["--name", NAME]);
    assert.equal(noDb.code, 1);
    assert.equal(noDb.stderr.split("\n").length, 1);
    assert.match(noDb.stderr, /^Cannot open database .*does not exist/);
  });
  await withInstance(record(Date.now(), "running"), async (dir) => {
    const other = await health(dir, ["--name", "eth-binance-15m"]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /^Cannot confirm health of eth-binance-15m: no such instance/);
  });
});

/** Runs the health task as `deno task health` does: under the deno.json `health` set. */
async function healthTask(args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-P=health", "tasks/health.ts", ...args],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("health task under its permission set reads a local PostgreSQL and names a DB host outside the set", async () => {
  using schema = freshSchema(Deno.env.get("TEST_DATABASE_URL") ?? LOCAL_POSTGRES_URL);
  const url = schema.url;
  const store = openStore(url);
  try {
    store.instances.upsert(record(Date.now(), "running"));
  } finally {
    store.close();
  }
  const local = await healthTask(["--name", NAME], { DATABASE_URL: url });
  assert.equal(local.code, 0, local.stderr);
  const remote = await healthTask(["--name", NAME], {
    DATABASE_URL: "postgres://postgres@db.example.invalid:5432/test",
  });
  // 1, as every health failure: Docker reserves 2 for health checks.
  assert.equal(remote.code, 1);
  assert.equal(remote.stderr.split("\n").length, 1);
  assert.match(
    remote.stderr,
    /^Cannot check health: the database in DATABASE_URL is at db\.example\.invalid:5432, which the health permission set does not allow; add "db\.example\.invalid:5432" to the "net" list of permissions\.health in deno\.json, or run the check in the container deno task compose generates/,
  );
});
