/**
 * A REAL full disk under a running paper trader (process, `--test-clock=emulator:URL`, emulator
 * at ×30): the DB lives on its own small tmpfs; once the trader runs, the market is frozen (no
 * candle will come) and a ballast file takes every free byte. The trader must stop promptly, at
 * its next heartbeat, with exit 1 and say why (status `error` with
 * the reason, or, when even that write fails, the reason in its log); the DB passes
 * `PRAGMA integrity_check` and keeps every row written before; with the ballast gone the same
 * instance starts again and resumes from its stored state. Needs root for `mount -t tmpfs`;
 * without it the test is reported as ignored (the max_page_count case is
 * `src/storage/disk_full_test.ts`).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { BinanceEmulator } from "../support/binance_emulator.ts";
import { waitFor, withStore } from "../support/trader_process.ts";
import { parseTraderState } from "../../src/trader/trader_state.ts";
import { spawnTask, stopTask, type TaskProcess, zigzagCsv } from "../../tools/soak/mod.ts";
import { fillDisk, mountTmpfs, unmount } from "./tmpfs.ts";

const NAME = "disk-full";
const MINUTE_MS = 60_000;
const START_MS = Date.UTC(2025, 0, 6, 12, 0, 30);
const CONFIG = `name: ${NAME}
exchange: binance
symbol: BTC/USDT
timeframe: 1m
mode: paper
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_amount: 200
  stop_loss_pct: null
  take_profit_pct: null
account:
  balance: 10000
trade:
  heartbeat_seconds: 1
  close_delay_ms: 500
`;

/** Row counts per table the trader writes. */
function counts(path: string): Record<string, number> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const out: Record<string, number> = {};
    for (const table of ["orders", "fills", "decisions", "equity", "candles"]) {
      out[table] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    return out;
  } finally {
    db.close();
  }
}

function lastCandleMs(url: string): number {
  return withStore(url, (s) => parseTraderState(s.instances.get(NAME)?.state, "paper"))
    ?.kernel.lastCandleMs ?? 0;
}

function integrity(path: string): string {
  const db = new DatabaseSync(path);
  try {
    return (db.prepare("PRAGMA integrity_check").get() as { integrity_check: string })
      .integrity_check;
  } finally {
    db.close();
  }
}

async function canMount(): Promise<boolean> {
  const dir = await Deno.makeTempDir({ prefix: "tmpfs_probe_" });
  try {
    await unmount(await mountTmpfs(dir, 64));
    return true;
  } catch {
    return false;
  } finally {
    await Deno.remove(dir);
  }
}

const mountable = await canMount();

Deno.test({
  name: "trader disk full: a trader whose disk fills stops promptly, says why and loses nothing",
  ignore: !mountable,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "trader_disk_full_" });
  await Deno.mkdir(`${dir}/data`);
  await Deno.writeTextFile(`${dir}/data/binance_BTC-USDT_1m.csv`, zigzagCsv(START_MS, 1));
  const dbDir = await mountTmpfs(`${dir}/db`, 4096);
  const emulator = new BinanceEmulator({
    startMs: START_MS,
    speed: 30,
    dataDir: new URL(`file://${dir}/data/`),
  });
  await Deno.writeTextFile(`${dir}/${NAME}.yaml`, CONFIG);
  const dbPath = `${dbDir}/trading.db`;
  const url = `sqlite:${dbPath}`;
  const spawn = () =>
    spawnTask(NAME, {
      script: "tasks/trade.ts",
      args: ["--config", `${dir}/${NAME}.yaml`, "--test-clock", `emulator:${emulator.url}`],
      env: { DATABASE_URL: url, LOG_DIR: `${dir}/logs`, BINANCE_API_URL: emulator.url },
      outputPath: `${dir}/trader.out`,
    });
  let task: TaskProcess | null = spawn();
  let passed = false;
  try {
    await waitFor("4 candles handled", () => lastCandleMs(url) >= START_MS + 3 * MINUTE_MS, 60_000);
    // The market stands still: no candle comes, so only the heartbeat can notice the full disk.
    emulator.setSpeed(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const before = counts(dbPath);
    const ballast = await fillDisk(dbDir);
    const filledAt = Date.now();
    const status = await Promise.race([
      task.done,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 60_000)),
    ]);
    assert.notEqual(status, null, "the trader kept running on a full disk");
    const stoppedAfterMs = Date.now() - filledAt;
    assert.equal(status!.code, 1, JSON.stringify(status));
    task = null;
    const output = await Deno.readTextFile(`${dir}/trader.out`);
    const row = withStore(url, (s) => s.instances.get(NAME)!);
    const reported = row.status === "error" && /full/.test(row.statusReason ?? "")
      ? "status"
      : "log";
    // The last line of stderr is the one-line reason; the status write itself may have failed.
    assert.match(output, /\nCannot write to the database: it is full \(no disk space[^\n]*\n?$/);
    assert.match(
      output,
      /\[ERR\].*Stopped with an error: "Cannot write to the database: it is full/,
    );
    assert.equal(integrity(dbPath), "ok");
    const after = counts(dbPath);
    for (const [table, n] of Object.entries(before)) {
      assert.ok(after[table] >= n, `${table}: ${n} rows before, ${after[table]} after`);
    }

    // Space back: the same instance starts again from its stored state and trades on.
    await Deno.remove(ballast);
    const resumedFrom = lastCandleMs(url);
    emulator.setSpeed(30);
    task = spawn();
    await waitFor("running again", () => lastCandleMs(url) > resumedFrom + MINUTE_MS, 60_000);
    assert.equal((await stopTask(task)).code, 0);
    task = null;
    assert.equal(integrity(dbPath), "ok");
    // deno-lint-ignore no-console
    console.log(
      `trader disk full: exit 1 ${stoppedAfterMs} ms after the disk filled, reason in the ${reported}` +
        ` (status ${row.status}: ${row.statusReason}); rows before ${JSON.stringify(before)}, ` +
        `after ${JSON.stringify(after)}; integrity ok; resumed after the ballast was removed`,
    );
    passed = true;
  } finally {
    if (task !== null) await stopTask(task, 2_000);
    await emulator.close();
    await unmount(dbDir);
    if (passed) await Deno.remove(dir, { recursive: true });
    // deno-lint-ignore no-console
    else console.log(`trader disk full: files kept in ${dir}`);
  }
});
