import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { backtestConfig } from "./backtest_config.ts";
import { EquityJsonThread, THREAD_MIN_POINTS } from "./equity_json_thread.ts";
import { formatReportJson, reportHeadPieces } from "./report_json.ts";
import type { CandleColumns } from "./run_backtest.ts";

const config = parseInstanceConfig(
  "name: thread-test\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1m\nstrategy:\n  name: sma_cross\n",
);

/** The bundled 1m sample repeated end to end in shared memory, as a DB load gives it. */
function sharedColumns(copies: number): CandleColumns {
  const sample = loadSampleCandles("binance_BTC-USDT_1m.csv");
  const n = sample.length * copies;
  const column = () => new Float64Array(new SharedArrayBuffer(n * 8));
  const columns = {
    length: n,
    openTimeMs: column(),
    open: column(),
    high: column(),
    low: column(),
    close: column(),
    volume: column(),
  };
  const span = sample.at(-1)!.openTimeMs - sample[0].openTimeMs + 60_000;
  for (let i = 0; i < n; i++) {
    const c = sample[i % sample.length];
    columns.openTimeMs[i] = c.openTimeMs + Math.floor(i / sample.length) * span;
    columns.open[i] = c.open;
    columns.high[i] = c.high;
    columns.low[i] = c.low;
    columns.close[i] = c.close;
    columns.volume[i] = c.volume;
  }
  return columns;
}

async function files(dir: string): Promise<string[]> {
  const names = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

Deno.test("equity formatted in the thread while the run goes is the report's text byte for byte", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const candles = sharedColumns(2);
    assert.ok(candles.length >= THREAD_MIN_POINTS);
    const path = `${dir}/r.json`;
    using thread = EquityJsonThread.spawn(path)!;
    assert.ok(thread !== null);
    const equity = thread.begin(candles.openTimeMs)!;
    assert.ok(equity.buffer instanceof SharedArrayBuffer);
    const seen: number[] = [];
    const { report } = backtestConfig(config, candles, {
      equity,
      onProgress: (final) => {
        seen.push(final);
        thread.progress(final);
      },
    });
    // Now and then during the run, never past the last slot until the run is over.
    assert.ok(seen.length >= 4);
    assert.deepEqual(seen.slice(0, -1).filter((k) => k >= candles.length), []);
    assert.equal(seen.at(-1), candles.length);
    using file = await Deno.open(path, { write: true, create: true });
    for (const piece of reportHeadPieces(report)) await file.write(piece);
    await thread.finish(report);
    assert.equal(await Deno.readTextFile(path), formatReportJson(report));
    assert.deepEqual(await files(dir), ["r.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run too short for a thread gets none, and a stopped thread leaves no file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const short = EquityJsonThread.spawn(`${dir}/short.json`)!;
    assert.equal(short.begin(new Float64Array(new SharedArrayBuffer(8 * 1_000))), null);
    const stopped = EquityJsonThread.spawn(`${dir}/stopped.json`)!;
    const equity = stopped.begin(sharedColumns(2).openTimeMs)!;
    stopped.progress(equity.length / 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stopped.abort();
    assert.deepEqual(await files(dir), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("no thread for a report path that is not a regular file or whose folder cannot be made", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/target.json`, "old");
    await Deno.symlink(`${dir}/target.json`, `${dir}/link.json`);
    assert.equal(EquityJsonThread.spawn(`${dir}/link.json`), null);
    assert.equal(EquityJsonThread.spawn("/dev/null"), null);
    assert.equal(EquityJsonThread.spawn(`${dir}/target.json/r.json`), null);
    // A missing folder is made, as the report writer would.
    using made = EquityJsonThread.spawn(`${dir}/new/r.json`);
    assert.ok(made !== null);
    assert.ok((await Deno.stat(`${dir}/new`)).isDirectory);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a thread asked to finish another run's report refuses, and removes its file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const candles = sharedColumns(2);
    const thread = EquityJsonThread.spawn(`${dir}/r.json`)!;
    thread.begin(candles.openTimeMs);
    const { report } = backtestConfig(config, candles);
    await assert.rejects(thread.finish(report), /not the one this thread formats/);
    thread.abort();
    assert.deepEqual(await files(dir), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the thread touches the last rows of new columns, or leaves them to the reader if it has not begun", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rows = THREAD_MIN_POINTS * 2;
    const columns = () => {
      const column = () => new Float64Array(new SharedArrayBuffer(rows * 8));
      return {
        openTimeMs: column(),
        open: column(),
        high: column(),
        low: column(),
        close: column(),
        volume: column(),
      };
    };
    // A started thread: the reader fills its half, waits, then fills the rest; nothing is lost.
    using thread = EquityJsonThread.spawn(`${dir}/r.json`)!;
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the worker start
    const started = columns();
    const handle = thread.prefault(Object.values(started), rows)!;
    assert.equal(handle.fromRow, rows / 2);
    for (const column of Object.values(started)) column.fill(7, 0, handle.fromRow);
    handle.wait();
    for (const column of Object.values(started)) column.fill(7, handle.fromRow);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const column of Object.values(started)) assert.ok(column.every((v) => v === 7));
    // A thread that has not begun is told not to: the reader's values stay. This one is kept
    // busy formatting a run that has not started, so it gets to the columns only afterwards.
    using late = EquityJsonThread.spawn(`${dir}/late.json`)!;
    const equity = late.begin(sharedColumns(2).openTimeMs)!;
    const cancelled = columns();
    const early = late.prefault(Object.values(cancelled), rows)!;
    early.wait();
    for (const column of Object.values(cancelled)) column.fill(9);
    late.progress(equity.length);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const column of Object.values(cancelled)) assert.ok(column.every((v) => v === 9));
    assert.equal(thread.prefault(Object.values(columns()), THREAD_MIN_POINTS - 1), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
