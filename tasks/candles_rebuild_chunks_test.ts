import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openDatabase, openStore } from "../src/storage/mod.ts";
import type { CandleRow, MarketRef } from "../src/core/types.ts";

const TASK = fileURLToPath(new URL("./candles.ts", import.meta.url));
const BTC: MarketRef = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" };
const ETH: MarketRef = { exchange: "binance", symbol: "ETH/USDT", timeframe: "1h" };

async function candles(dir: string, args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-A", TASK, ...args],
    env: { DATABASE_URL: `sqlite:${dir}/t.db`, LOG_DIR: `${dir}/logs` },
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

function rows(count: number, stepMs: number, skipFrom: number): CandleRow[] {
  const out: CandleRow[] = [];
  for (let i = 0; i < count; i++) {
    if (i >= skipFrom && i < skipFrom + 5_000) continue; // a gap longer than a chunk span
    const price = 100 + Math.sin(i / 50) * 10 + i / 1_000;
    out.push([1_700_000_000_000 + i * stepMs, price, price + 1, price - 1, price + 0.5, i % 97]);
  }
  return out;
}

/** Chunks of `market`, and whether its packed read equals the row path. */
function inspect(dir: string, market: MarketRef): { chunks: number; same: boolean } {
  const db = openDatabase(`sqlite:${dir}/t.db`, { readOnly: true });
  const store = openStore(`sqlite:${dir}/t.db`, { readOnly: true });
  try {
    const [row] = db.prepare(
      "SELECT count(*) AS n FROM candle_chunks WHERE exchange = ? AND symbol = ? AND timeframe = ?",
    ).all(market.exchange, market.symbol, market.timeframe) as { n: number }[];
    const packed = store.candles.loadColumns(market, -Infinity, Infinity);
    const plain = store.candles.loadColumnsFromRows(market, -Infinity, Infinity);
    let same = packed.length === plain.length && packed.length > 0;
    for (const key of ["openTimeMs", "open", "high", "low", "close", "volume"] as const) {
      for (let i = 0; same && i < packed.length; i++) same = packed[key][i] === plain[key][i];
    }
    return { chunks: Number(row.n), same };
  } finally {
    store.close();
    db.close();
  }
}

Deno.test("candles rebuild-chunks packs a DB stored before chunks existed; reads and rows unchanged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = openStore(`sqlite:${dir}/t.db`);
    store.candles.upsert(BTC, rows(30_000, 60_000, 12_000));
    store.candles.upsert(ETH, rows(20_000, 3_600_000, 100_000));
    store.close();
    const full = { BTC: inspect(dir, BTC), ETH: inspect(dir, ETH) };
    assert.ok(full.BTC.chunks > 3 && full.ETH.chunks > 3, JSON.stringify(full));
    // An old DB: the rows without their chunks.
    const db = openDatabase(`sqlite:${dir}/t.db`);
    const rowsBefore = db.prepare("SELECT count(*) AS n, sum(close) AS s FROM candles").get();
    db.exec("DELETE FROM candle_chunks");
    db.close();
    assert.deepEqual(inspect(dir, BTC), { chunks: 0, same: true });

    const one = await candles(dir, [
      "rebuild-chunks",
      "--exchange",
      "binance",
      "--symbol",
      "BTC/USDT",
      "--timeframe",
      "1m",
    ]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(
      one.stdout,
      new RegExp(`^Rebuilt binance BTC/USDT 1m: 0 chunks before, ${full.BTC.chunks} now`),
    );
    assert.deepEqual(inspect(dir, BTC), full.BTC);
    assert.equal(inspect(dir, ETH).chunks, 0, "only the series asked for");

    const all = await candles(dir, ["rebuild-chunks"]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout.trim().split("\n").length, 2, all.stdout);
    assert.match(
      all.stdout,
      new RegExp(`binance BTC/USDT 1m: ${full.BTC.chunks} chunks before, ${full.BTC.chunks} now`),
    );
    assert.match(
      all.stdout,
      new RegExp(`binance ETH/USDT 1h: 0 chunks before, ${full.ETH.chunks} now`),
    );
    assert.deepEqual(inspect(dir, ETH), full.ETH);
    assert.deepEqual(inspect(dir, BTC), full.BTC);

    const after = openDatabase(`sqlite:${dir}/t.db`, { readOnly: true });
    assert.deepEqual(
      after.prepare("SELECT count(*) AS n, sum(close) AS s FROM candles").get(),
      rowsBefore,
    );
    after.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("candles rebuild-chunks: a partial market or an empty DB is bad input (exit 2)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const partial = await candles(dir, ["rebuild-chunks", "--exchange", "binance"]);
    assert.equal(partial.code, 2, partial.stderr);
    assert.match(
      partial.stderr,
      /^Cannot rebuild chunks: give all of --exchange, --symbol and --timeframe/,
    );
    const empty = await candles(dir, ["rebuild-chunks"]);
    assert.equal(empty.code, 2, empty.stderr);
    assert.match(empty.stderr, /^Cannot rebuild chunks: no candles stored/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
