/**
 * Secrets: every task runs with recognisable fake keys, from the environment
 * and from `.env`, at LOG_LEVEL=debug, on success and on failure; then every byte it left (logs,
 * DB, WAL, reports, exports) and everything it printed is searched for them: 0 hits. A live
 * `trade`, the only process that signs, runs alongside and sends an order with the keys.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { liveConfig, zigzagCsv } from "../../tools/soak/mod.ts";
import { BinanceEmulator } from "../support/binance_emulator.ts";
import { filesUnder, scanForSecrets } from "../support/secret_scan.ts";
import { waitFor, withStore } from "../support/trader_process.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONFIG = `${ROOT}config/strategies/btc-binance-1h.yaml`;
const MARKET = ["--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h"];

function fakeSecrets(): Record<string, string> {
  const tag = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
  return {
    BINANCE_API_KEY: `FAKEKEY-${tag}`,
    BINANCE_API_SECRET: `FAKESECRET-${tag}`,
    BINANCE_API_PASSWORD: `FAKEPASS-${tag}`,
  };
}

/** Keys for the other seed exchanges come from `.env`, the way users keep them. */
function dotEnvSecrets(tag: string): Record<string, string> {
  return {
    KRAKEN_API_KEY: `FAKEKEY-kr-${tag}`,
    KRAKEN_API_SECRET: `FAKESECRET-kr-${tag}`,
    BYBIT_API_KEY: `FAKEKEY-by-${tag}`,
    BYBIT_API_SECRET: `FAKESECRET-by-${tag}`,
  };
}

/** Starts `tasks/<task>.ts` in `dir`; `output` resolves with its exit code and all it printed. */
function start(dir: string, task: string, args: string[], env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-A", `--config=${ROOT}deno.json`, `${ROOT}tasks/${task}.ts`, ...args],
    cwd: dir,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const output = child.output().then((o) => ({
    task,
    args,
    code: o.code,
    out: decode(o.stdout) + decode(o.stderr),
  }));
  return { child, output };
}

function run(dir: string, task: string, args: string[], env: Record<string, string>) {
  return start(dir, task, args, env).output;
}

/**
 * A live trader with the test's keys against a second emulator at wall speed (live refuses test
 * clocks) whose account has those keys; its zigzag candles make it enter on the first minute
 * that closes at least 15 s from now, once it has warmed up.
 */
async function startLiveTrader(dir: string, env: Record<string, string>) {
  await Deno.mkdir(`${dir}/live-data`);
  const nowMs = Date.now();
  const entryAtMs = Math.ceil((nowMs + 15_000) / 60_000) * 60_000;
  const csv = zigzagCsv(nowMs, 1, { entryAtMs });
  await Deno.writeTextFile(`${dir}/live-data/binance_BTC-USDT_1m.csv`, csv);
  const emulator = new BinanceEmulator({
    startMs: nowMs,
    speed: 1,
    dataDir: new URL(`file://${dir}/live-data/`),
    commissionIn: "quote",
  });
  emulator.addAccount(env.BINANCE_API_KEY, env.BINANCE_API_SECRET, { USDT: 10_000 });
  await Deno.writeTextFile(`${dir}/secrets-live.yaml`, liveConfig("secrets-live"));
  const config = ["--config", `${dir}/secrets-live.yaml`];
  return { emulator, ...start(dir, "trade", config, { ...env, BINANCE_API_URL: emulator.url }) };
}

/** Waits until the live trader's first order is filled at the exchange and in the DB. */
function firstOrderFilled(emulator: BinanceEmulator, databaseUrl: string) {
  return waitFor("the live trader's first filled order", () => {
    const filled = emulator.orders().find((o) => o.status === "FILLED");
    return filled !== undefined &&
      withStore(
        databaseUrl,
        (s) => s.orders.findByClientId(filled.clientOrderId)?.status === "filled",
      );
  }, 200_000);
}

Deno.test("secrets: no task, live trade included, prints, logs, stores or reports an API key, secret or password", async () => {
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  const dir = await Deno.makeTempDir({ prefix: "secrets_" });
  let live: Awaited<ReturnType<typeof startLiveTrader>> | null = null;
  try {
    const envSecrets = fakeSecrets();
    const fileSecrets = dotEnvSecrets(envSecrets.BINANCE_API_KEY.slice(8));
    await Deno.writeTextFile(
      `${dir}/.env`,
      Object.entries(fileSecrets).map(([k, v]) => `${k}=${v}`).join("\n") + "\n",
      { mode: 0o600 },
    );
    await Deno.chmod(`${dir}/.env`, 0o600);
    const env = {
      ...envSecrets,
      NO_COLOR: "1",
      LOG_LEVEL: "debug",
      LOG_DIR: `${dir}/logs`,
      DATABASE_URL: `sqlite:${dir}/data/trading.db`,
      BINANCE_API_URL: emulator.url,
    };
    const csv = `${ROOT}data/samples/binance_BTC-USDT_1h.csv`;
    live = await startLiveTrader(dir, env);
    const runs = [];
    // Sequential: each step reads what the one before stored.
    for (
      const [task, args] of [
        ["check_config", [CONFIG]],
        ["candles", ["import", ...MARKET, "--file", csv]],
        ["candles", ["list"]],
        ["candles", ["export", ...MARKET, "--out", `${dir}/export.csv`]],
        ["candles", ["gaps", ...MARKET]],
        ["backtest", ["--config", CONFIG, "--csv", `${dir}/reports/trades.csv`]],
        ["backfill", [...MARKET, "--since", "2024-07-25"]],
        ["backfill", ["--exchange", "binance", "--symbol", "NOPE/USDT", "--timeframe", "1h"]],
        ["dashboard", ["--once"]],
        ["health", ["--config", CONFIG]],
        ["compose", [
          "--configs",
          `${ROOT}config/strategies`,
          "--deno-json",
          `${ROOT}deno.json`,
          "--out",
          `${dir}/compose.yml`,
        ]],
        ["backtest", ["--config", CONFIG, "--set", "risk.stop_loss_pct=900"]],
        ["check_config", [`${dir}/missing.yaml`]],
      ] as const
    ) {
      runs.push(await run(dir, task, [...args], env));
    }
    const summary = runs.map((r) => `${r.task} ${r.args[0]} → ${r.code}`).join("; ");
    // The tasks did run: successes and the failures we asked for.
    assert.deepEqual(
      runs.map((r) => r.code),
      [0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0, 2, 2],
      `${summary}\n${runs.filter((r) => r.code !== 0).map((r) => r.out).join("\n")}`,
    );
    assert.ok((await filesUnder(`${dir}/logs`)).length > 0, "the backfill wrote a log");
    const secrets = [...Object.values(envSecrets), ...Object.values(fileSecrets)];
    // The live trader signed an order; its DB, WAL and log are scanned while it still runs (the
    // WAL goes when the last connection closes), then everything again once it stopped.
    await firstOrderFilled(live.emulator, env.DATABASE_URL);
    const running = await scanForSecrets(secrets, { paths: [dir] });
    assert.deepEqual(running.hits, []);
    for (const file of ["data/trading.db-wal", "logs/secrets-live.jsonl"]) {
      assert.ok(running.files.includes(`${dir}/${file}`), `${file} was scanned`);
    }
    live.child.kill("SIGTERM");
    const trader = await live.output;
    assert.equal(trader.code, 0, trader.out);
    runs.push(trader);
    const texts = Object.fromEntries(runs.map((r, i) => [`output of ${r.task} #${i}`, r.out]));
    assert.deepEqual((await scanForSecrets(secrets, { texts, paths: [dir] })).hits, []);
    const signed = live.emulator.requests().filter((r) => r.signed && r.hasApiKey);
    assert.ok(signed.some((r) => r.method === "POST" && r.path === "/api/v3/order"));
    // Backfill reads public data only: the emulator saw no signature and no API key header.
    const requests = emulator.requests();
    assert.ok(requests.length > 0);
    assert.equal(requests.filter((r) => r.signed || r.hasApiKey).length, 0);
  } finally {
    try {
      live?.child.kill("SIGKILL");
    } catch { /* already exited */ }
    await live?.output;
    await live?.emulator.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("secrets: the scan finds a key that did leak (control)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "secrets_control_" });
  try {
    const { BINANCE_API_KEY } = fakeSecrets();
    await Deno.mkdir(`${dir}/logs`);
    await Deno.writeTextFile(`${dir}/logs/x.jsonl`, `{"msg":"key ${BINANCE_API_KEY}"}\n`);
    const scan = await scanForSecrets([BINANCE_API_KEY], { texts: { out: "" }, paths: [dir] });
    assert.equal(scan.hits.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("secrets: a world-readable .env is loaded with a one-line warning, a private one silently", async () => {
  const dir = await Deno.makeTempDir({ prefix: "secrets_env_" });
  try {
    const secrets = fakeSecrets();
    await Deno.writeTextFile(`${dir}/.env`, `BINANCE_API_KEY=${secrets.BINANCE_API_KEY}\n`);
    const env = { NO_COLOR: "1" };
    await Deno.chmod(`${dir}/.env`, 0o644);
    const open = await run(dir, "check_config", [CONFIG], env);
    assert.equal(open.code, 0, open.out);
    assert.match(
      open.out,
      /^Warning: env file "\.env" is readable by every user; run: chmod 600 \.env$/m,
    );
    assert.equal(open.out.includes(secrets.BINANCE_API_KEY), false);
    await Deno.chmod(`${dir}/.env`, 0o600);
    const closed = await run(dir, "check_config", [CONFIG], env);
    assert.equal(closed.code, 0, closed.out);
    assert.doesNotMatch(closed.out, /Warning/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
