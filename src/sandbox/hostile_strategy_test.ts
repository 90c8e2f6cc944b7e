/**
 * The sandbox against hostile strategy modules, in a backtest, a paper trader and a live trader
 * (real processes, keys in the environment): every attempt to read the secret or `.env`, reach
 * the network, write, start a process or import outside `strategies/` fails, the listener sees no
 * connection, the secret appears in no output, log or DB file, and the run reports a clear error.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import {
  BLOCKED_SYNC,
  candleHostileModule,
  topLevelHostileModule,
} from "../../tests/support/hostile_strategy.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { spawnTrader, withStore, writeConfig } from "../../tests/support/trader_process.ts";
import type { CandleRow } from "../core/types.ts";
import { openStore } from "../storage/mod.ts";
import { zigzagCsv } from "../../tools/soak/mod.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SECRET = `s3cr3t-${crypto.randomUUID()}`;

async function setup() {
  const id = crypto.randomUUID().slice(0, 8);
  const dir = await Deno.makeTempDir({ prefix: "hostile_" });
  const moduleDir = `strategies/tmp_hostile_${id}`;
  await Deno.mkdir(`${ROOT}${moduleDir}`);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  (async () => {
    for await (const conn of listener) {
      connections++;
      conn.close();
    }
  })();
  const port = listener.addr.port;
  const pwned = `${dir}/pwned`;
  await Deno.writeTextFile(`${ROOT}${moduleDir}/top.js`, topLevelHostileModule({ port, pwned }));
  await Deno.writeTextFile(`${ROOT}${moduleDir}/candle.js`, candleHostileModule({ port, pwned }));
  await Deno.mkdir(`${dir}/data`);
  await Deno.writeTextFile(`${dir}/data/binance_BTC-USDT_1m.csv`, zigzagCsv(Date.now()));
  const emulator = new BinanceEmulator({
    startMs: Date.now(),
    speed: 1,
    dataDir: new URL(`file://${dir}/data/`),
  });
  emulator.addAccount("hostile-key", SECRET, { USDT: 10_000 });
  return {
    dir,
    moduleDir,
    emulator,
    pwned,
    connections: () => connections,
    env: {
      DATABASE_URL: `sqlite:${dir}/trading.db`,
      LOG_DIR: `${dir}/logs`,
      BINANCE_API_URL: emulator.url,
      BINANCE_API_KEY: "hostile-key",
      BINANCE_API_SECRET: SECRET,
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      await emulator.close();
      await Deno.remove(`${ROOT}${moduleDir}`, { recursive: true });
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const MARKET = "exchange: binance\nsymbol: BTC/USDT\n";

function strategyYaml(module: string, timeframe: string, mode: "paper" | "live") {
  return `${MARKET}timeframe: ${timeframe}\nmode: ${mode}\nstrategy:\n  module: ${module}\n` +
    "risk:\n  stake_amount: 100\ntrade:\n  heartbeat_seconds: 1\n";
}

async function backtest(t: Awaited<ReturnType<typeof setup>>, module: string) {
  const store = openStore(t.env.DATABASE_URL);
  const rows = loadSampleCandles("binance_BTC-USDT_1h.csv").slice(0, 500)
    .map((c): CandleRow => [c.openTimeMs, c.open, c.high, c.low, c.close, c.volume]);
  store.candles.upsert({ exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" }, rows);
  store.close();
  const config = await writeConfig(t.dir, "hostile-bt", strategyYaml(module, "1h", "paper"));
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/backtest.ts", "--config", config, "--json", `${t.dir}/r.json`],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...t.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  return { code: output.code, text };
}

async function trade(t: Awaited<ReturnType<typeof setup>>, module: string, mode: "paper" | "live") {
  const name = `hostile-${mode}`;
  const config = await writeConfig(t.dir, name, strategyYaml(module, "1m", mode));
  const process = spawnTrader(config, t.env);
  const status = await process.status;
  return { code: status.code, text: await process.stderr, name };
}

/** Every file the runs wrote: logs, reports and the DB with its WAL. */
async function everythingWritten(dir: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      const child = `${path}/${entry.name}`;
      if (entry.isDirectory) await walk(child);
      else if (entry.isFile) parts.push(new TextDecoder().decode(await Deno.readFile(child)));
    }
  };
  await walk(dir);
  return parts.join("\n");
}

function assertBlocked(text: string, where: string) {
  for (const outcome of BLOCKED_SYNC) assert.ok(text.includes(outcome), `${where}: ${text}`);
  assert.ok(!text.includes(SECRET), `${where} leaked the secret`);
  assert.doesNotMatch(text, /GOT |READ |RAN |WROTE|FETCHED|IMPORTED/, where);
}

Deno.test("hostile strategy module: backtest, paper and live each block every escape and leak nothing", async () => {
  await using t = await setup();
  const top = `${t.moduleDir}/top.js`;
  const candle = `${t.moduleDir}/candle.js`;

  const btTop = await backtest(t, top);
  assert.equal(btTop.code, 2, btTop.text);
  assert.match(
    btTop.text,
    /Cannot load config ".*hostile-bt.yaml": line \d+: strategy.module: .*hostile top level:/,
  );
  assertBlocked(btTop.text, "backtest, top level");
  assert.match(btTop.text, /fetch:NotCapable/);
  assert.match(btTop.text, /import:NotCapable/);

  const btCandle = await backtest(t, candle);
  assert.equal(btCandle.code, 1, btCandle.text);
  assert.match(
    btCandle.text,
    /strategy hostile threw on candle \d{4}-\d\d-\d\dT.*hostile onCandle:/,
  );
  assertBlocked(btCandle.text, "backtest, onCandle");

  for (const mode of ["paper", "live"] as const) {
    const loadFail = await trade(t, top, mode);
    assert.equal(loadFail.code, 2, loadFail.text);
    assertBlocked(loadFail.text, `${mode}, top level`);
    const run = await trade(t, candle, mode);
    assert.equal(run.code, 1, run.text);
    assertBlocked(run.text, `${mode}, onCandle`);
    const row = withStore(t.env.DATABASE_URL, (s) => s.instances.get(run.name));
    assert.equal(row?.status, "error");
    assert.match(row?.statusReason ?? "", /strategy hostile threw on candle .*hostile onCandle:/);
    assertBlocked(row?.statusReason ?? "", `${mode} status`);
  }

  assert.equal(t.connections(), 0, "the listener was reached");
  for (const path of [t.pwned, `${t.pwned}.run`]) {
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound, `${path} was written`);
  }
  const written = await everythingWritten(t.dir);
  assert.ok(!written.includes(SECRET), "the secret is in a log, report or DB file");
  // The live trader signed nothing that placed an order: the strategy never produced an intent.
  assert.equal(t.emulator.orders().length, 0);
});
