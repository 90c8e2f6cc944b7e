/** Runs one bad-input case as a real task process and checks docs/commands.md's promise for it. */
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { candleToRow } from "../../src/core/candle_row.ts";
import type { CandleRow, MarketRef } from "../../src/core/types.ts";
import { openStore } from "../../src/storage/mod.ts";
import { goodCandleCsv } from "../../src/candles/bad_csv_cases.ts";
import { parseCandleCsv } from "../support/candle_source.ts";
import { cachedMarket } from "../support/market_fixtures.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Tasks with bad-input cases. */
export type TaskName = "check_config" | "candles" | "backtest" | "backfill" | "dashboard" | "trade";

/** One bad input: the task, its arguments and files, and the one line it must print. */
export interface BadInputCase {
  readonly name: string;
  readonly task: TaskName;
  readonly args: readonly string[];
  /** Files written into the case's working directory first. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** Extra environment; `DATABASE_URL` defaults to the case's seeded `t.db`. */
  readonly env?: Readonly<Record<string, string>>;
  /** The whole stderr line must match (anchored by the caller's pattern). */
  readonly stderr: RegExp;
}

/** What a run produced. */
export interface CaseResult {
  readonly code: number;
  readonly stderr: string;
  readonly stdout: string;
  /** Files that existed before and differ after (path relative to the case dir). */
  readonly changed: string[];
  /** Files that appeared, outside `logs/`. */
  readonly created: string[];
}

export const MARKET: MarketRef = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };

/** A DB with 500 real BTC/USDT 1h candles and 24 ETH/USDT ones. */
export async function seedDatabase(path: string): Promise<void> {
  const text = await Deno.readTextFile(`${ROOT}data/samples/binance_BTC-USDT_1h.csv`);
  const eth = new TextDecoder().decode(goodCandleCsv(24));
  const rows = (csv: string): CandleRow[] => parseCandleCsv(csv).map(candleToRow);
  const store = openStore(`sqlite:${path}`);
  store.candles.upsert(MARKET, rows(text).slice(0, 500));
  store.candles.upsert({ ...MARKET, symbol: "ETH/USDT" }, rows(eth));
  // Cached Binance markets, as a backfill or trade leaves them: config checks read these.
  store.markets.upsert(
    ["BTC/USDT", "ETH/USDT"].map((symbol) => cachedMarket("binance", symbol, 5)),
  );
  store.close();
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function hashTree(dir: string, prefix = ""): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const rel = prefix + entry.name;
    if (entry.isDirectory) {
      for (const [k, v] of await hashTree(dir, `${rel}/`)) hashes.set(k, v);
    } else if (entry.isFile) hashes.set(rel, await sha256(`${dir}/${rel}`));
  }
  return hashes;
}

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * SQLite's WAL index and an empty WAL: what a read-only connection to a WAL database leaves
 * beside it (check_config reading the cached markets). They hold no data.
 */
function isReaderFile(path: string, sha256: string): boolean {
  return path.endsWith(".db-shm") || (path.endsWith(".db-wal") && sha256 === EMPTY_SHA256);
}

/** Runs `c` in a fresh directory holding a copy of `seedPath` as `t.db`. */
export async function runCase(c: BadInputCase, seedPath: string): Promise<CaseResult> {
  const dir = await Deno.makeTempDir({ prefix: "bad_input_" });
  try {
    copyFileSync(seedPath, `${dir}/t.db`);
    for (const [name, content] of Object.entries(c.files ?? {})) {
      const path = `${dir}/${name}`;
      if (name.endsWith("/")) await Deno.mkdir(path, { recursive: true });
      else if (typeof content === "string") await Deno.writeTextFile(path, content);
      else await Deno.writeFile(path, content);
    }
    const before = await hashTree(dir);
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-q",
        "-A",
        `--config=${ROOT}deno.json`,
        `${ROOT}tasks/${c.task}.ts`,
        ...c.args,
      ],
      cwd: dir,
      env: {
        NO_COLOR: "1",
        DATABASE_URL: `sqlite:${dir}/t.db`,
        LOG_DIR: `${dir}/logs`,
        LOG_LEVEL: "info",
        ...c.env,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const after = await hashTree(dir);
    const changed = [...before].filter(([k, v]) => after.get(k) !== v).map(([k]) => k);
    const created = [...after.keys()].filter((k) =>
      !before.has(k) && !k.startsWith("logs/") && !isReaderFile(k, after.get(k)!)
    );
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return {
      code: output.code,
      stderr: decode(output.stderr),
      stdout: decode(output.stdout),
      changed,
      created,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The promise for bad input: exit 2, one stderr line matching, nothing stored changed. */
export function assertRefused(c: BadInputCase, result: CaseResult): void {
  const label = `${c.task} ${c.name}: ${JSON.stringify(result.stderr)}`;
  assert.equal(result.code, 2, label);
  const lines = result.stderr.split("\n").filter((line) => line !== "");
  assert.equal(lines.length, 1, label);
  assert.match(lines[0], /^Cannot [a-z]/, label);
  assert.match(lines[0], c.stderr, label);
  assert.deepEqual(result.changed, [], `${label}: changed ${result.changed}`);
  assert.deepEqual(result.created, [], `${label}: created ${result.created}`);
}

/** Runs `items` through `fn`, `limit` at a time (two cores are shared by everyone). */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
