/**
 * Secrets: every task runs with recognisable fake keys, from the environment
 * and from `.env`, at LOG_LEVEL=debug, on success and on failure; then every byte it left (logs,
 * DB, WAL, reports, exports) and everything it printed is searched for them: 0 hits.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BinanceEmulator } from "../support/binance_emulator.ts";

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

async function run(dir: string, task: string, args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-A", `--config=${ROOT}deno.json`, `${ROOT}tasks/${task}.ts`, ...args],
    cwd: dir,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { task, args, code: output.code, out: decode(output.stdout) + decode(output.stderr) };
}

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await filesUnder(path));
    else if (entry.isFile) files.push(path);
  }
  return files;
}

/** Where each secret shows up, as raw bytes (a DB page or a WAL frame counts too). */
async function hits(texts: Record<string, string>, secrets: string[], dir: string) {
  const found: string[] = [];
  for (const [label, text] of Object.entries(texts)) {
    for (const s of secrets) if (text.includes(s)) found.push(`${label}: ${s}`);
  }
  for (const path of await filesUnder(dir)) {
    if (path.endsWith("/.env")) continue;
    const bytes = new TextDecoder("latin1").decode(await Deno.readFile(path));
    for (const s of secrets) if (bytes.includes(s)) found.push(`${path}: ${s}`);
  }
  return found;
}

Deno.test("secrets: no task prints, logs, stores or reports an API key, secret or password", async () => {
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  const dir = await Deno.makeTempDir({ prefix: "secrets_" });
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
    const texts = Object.fromEntries(runs.map((r, i) => [`output of ${r.task} #${i}`, r.out]));
    assert.deepEqual(await hits(texts, secrets, dir), []);
    // Backfill reads public data only: the emulator saw no signature and no API key header.
    const requests = emulator.requests();
    assert.ok(requests.length > 0);
    assert.equal(requests.filter((r) => r.signed || r.hasApiKey).length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("secrets: the scan finds a key that did leak (control)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "secrets_control_" });
  try {
    const { BINANCE_API_KEY } = fakeSecrets();
    await Deno.mkdir(`${dir}/logs`);
    await Deno.writeTextFile(`${dir}/logs/x.jsonl`, `{"msg":"key ${BINANCE_API_KEY}"}\n`);
    assert.equal((await hits({ out: "" }, [BINANCE_API_KEY], dir)).length, 1);
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
