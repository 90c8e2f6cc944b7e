import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BAD_CANDLE_FILES, goodCandleCsv } from "../src/candles/bad_csv_cases.ts";

const TASK = fileURLToPath(new URL("./candles.ts", import.meta.url));
const MARKET = ["--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h"];

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

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("candles import refuses every bad file with exit 2, one line, DB byte for byte unchanged", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/good.csv`, goodCandleCsv(24));
  const first = await candles(dir, ["import", "--file", "good.csv", ...MARKET]);
  assert.equal(first.code, 0, first.stderr);
  const before = await sha256(`${dir}/t.db`);
  for (const bad of BAD_CANDLE_FILES) {
    await Deno.writeFile(`${dir}/${bad.name}.csv`, bad.bytes);
  }
  const results = await Promise.all(
    BAD_CANDLE_FILES.map((bad) => candles(dir, ["import", "--file", `${bad.name}.csv`, ...MARKET])),
  );
  results.forEach((result, i) => {
    const bad = BAD_CANDLE_FILES[i];
    assert.equal(result.code, 2, `${bad.name}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^Cannot import "${bad.name}\\.csv": `), bad.name);
    assert.match(result.stderr, bad.error, bad.name);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1, bad.name);
  });
  assert.equal(await sha256(`${dir}/t.db`), before);
  const list = await candles(dir, ["list"]);
  assert.match(list.stdout, /binance\s+BTC\/USDT\s+1h\s+24\s/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("candles import rejects bad arguments with exit 2", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/good.csv`, goodCandleCsv(3));
  const cases: [string[], RegExp][] = [
    [["import", "--file", "good.csv", ...MARKET.slice(0, 5), "7m"], /timeframe "7m"/],
    [["import", "--file", "good.csv", ...MARKET.slice(0, 5), "1H"], /timeframe "1H"/],
    [["import", "--file", "good.csv", ...MARKET.slice(0, 5), "-1h"], /timeframe "-1h"/],
    [[
      "import",
      "--file",
      "good.csv",
      "--exchange",
      "binance",
      "--symbol",
      "BTCUSDT",
      "--timeframe",
      "1h",
    ], /symbol "BTCUSDT"/],
    [["import", "--file", "missing.csv", ...MARKET], /Cannot import "missing.csv": no such file/],
    [["import", "--file", ".", ...MARKET], /Cannot import "\.": /],
    [["import", "--file", "good.csv", ...MARKET, "--bogus"], /unknown option/],
    [["import", "--file", "good.csv"], /required option/],
  ];
  for (const [args, pattern] of cases) {
    const result = await candles(dir, args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("candles import is idempotent, --skip-invalid counts, export round-trips, gaps lists", async () => {
  const dir = await Deno.makeTempDir();
  const good = new TextDecoder().decode(goodCandleCsv(10));
  const lines = good.split("\n");
  const withGap = [...lines.slice(0, 4), ...lines.slice(6)].join("\n");
  await Deno.writeTextFile(`${dir}/gap.csv`, withGap);
  const once = await candles(dir, ["import", "--file", "gap.csv", ...MARKET]);
  assert.match(once.stdout, /8 rows, 8 new, 0 updated, 0 unchanged, 0 skipped/);
  const twice = await candles(dir, ["import", "--file", "gap.csv", ...MARKET]);
  assert.match(twice.stdout, /8 rows, 0 new, 0 updated, 8 unchanged/);
  const gaps = await candles(dir, ["gaps", ...MARKET]);
  assert.match(gaps.stdout, /1 gaps, 2 missing candles/);
  assert.match(gaps.stdout, /2024-07-10 03:00 → 2024-07-10 04:00 {2}2 missing/);
  await Deno.writeTextFile(`${dir}/skip.csv`, good.replace(/\n(\d+),100,110,90/, "\n$1,100,80,90"));
  const skip = await candles(dir, ["import", "--file", "skip.csv", "--skip-invalid", ...MARKET]);
  assert.equal(skip.code, 0, skip.stderr);
  assert.match(skip.stdout, /9 rows, 2 new, 0 updated, 7 unchanged, 1 skipped/);
  const exported = await candles(dir, ["export", ...MARKET, "--out", "out.csv"]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(await Deno.readTextFile(`${dir}/out.csv`), good);
  await Deno.remove(dir, { recursive: true });
});

const RESAMPLE = ["resample", "--exchange", "binance", "--symbol", "BTC/USDT"];

/** Ten hourly candles from 2024-07-10 00:00 with 05:00 missing; prices rise by one an hour. */
function hourlyCsvWithGap(): string {
  const rows = [0, 1, 2, 3, 4, 6, 7, 8, 9].map((i) =>
    `${1720569600000 + i * 3_600_000},${100 + i},${102 + i},${99 + i},${101 + i},${i + 1}`
  );
  return ["timestamp,open,high,low,close,volume", ...rows, ""].join("\n");
}

Deno.test("candles resample writes closed 4h candles, counts the incomplete one, and is idempotent", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/hours.csv`, hourlyCsvWithGap());
  const imported = await candles(dir, ["import", "--file", "hours.csv", ...MARKET]);
  assert.equal(imported.code, 0, imported.stderr);
  const args = [...RESAMPLE, "--from-timeframe", "1h", "--to-timeframe", "4h"];
  const once = await candles(dir, args);
  assert.equal(once.code, 0, once.stderr);
  // 08:00–12:00 has not closed by the last candle's close (10:00): it is not written.
  assert.equal(
    once.stdout,
    "Resampled binance BTC/USDT 1h into 4h: 9 candles read, 2 written (2 new, 0 updated, " +
      "0 unchanged), 1 incomplete\n",
  );
  const twice = await candles(dir, args);
  assert.match(twice.stdout, /2 written \(0 new, 0 updated, 2 unchanged\), 1 incomplete/);
  const four = ["--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "4h"];
  const exported = await candles(dir, ["export", ...four, "--out", "-"]);
  assert.equal(
    exported.stdout,
    "timestamp,open,high,low,close,volume\n" +
      "1720569600000,100,105,99,104,10\n" +
      "1720584000000,104,109,103,108,20\n",
  );
  const bounded = await candles(dir, [...args, "--from", "2024-07-10", "--to", "1720569600000"]);
  assert.match(bounded.stdout, /4 candles read, 1 written \(0 new, 0 updated, 1 unchanged\)/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("candles resample rejects bad arguments with exit 2 and one line, DB unchanged", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/hours.csv`, hourlyCsvWithGap());
  assert.equal((await candles(dir, ["import", "--file", "hours.csv", ...MARKET])).code, 0);
  const before = await sha256(`${dir}/t.db`);
  const tf = (from: string, to: string) => ["--from-timeframe", from, "--to-timeframe", to];
  const cases: [string[], RegExp][] = [
    [[...RESAMPLE, ...tf("1h", "90m")], /^Cannot read --to-timeframe: "90m" is not a timeframe/],
    [[...RESAMPLE, ...tf("1H", "4h")], /^Cannot read --from-timeframe: "1H" is not a timeframe/],
    [[...RESAMPLE, ...tf("4h", "1h")], /^Cannot read --to-timeframe: 1h is not longer than 4h$/],
    [[...RESAMPLE, ...tf("1h", "1h")], /^Cannot read --to-timeframe: 1h is not longer than 1h$/],
    [
      [...RESAMPLE, ...tf("3d", "1w")],
      /^Cannot read --to-timeframe: 1w candles do not open on 3d candle boundaries$/,
    ],
    [[...RESAMPLE, ...tf("1h", "4h"), "--from", "soon"], /^Cannot read --from: not a date/],
    [
      [...RESAMPLE, ...tf("1h", "4h"), "--from", "2024-07-11", "--to", "2024-07-10"],
      /--from is after --to/,
    ],
    [
      [...RESAMPLE, ...tf("1h", "4h"), "--from", "2025-01-01"],
      /^Cannot resample binance BTC\/USDT 1h: no candles stored between --from and --to$/,
    ],
    [
      ["resample", "--exchange", "binance", "--symbol", "ETH/USDT", ...tf("1h", "4h")],
      /^Cannot resample binance ETH\/USDT 1h: no candles stored$/,
    ],
    [
      ["resample", "--exchange", "binance", "--symbol", "BTCUSDT", ...tf("1h", "4h")],
      /symbol "BTCUSDT"/,
    ],
    [[...RESAMPLE, "--from-timeframe", "1h"], /required option '--to-timeframe <tf>'/],
  ];
  const results = await Promise.all(cases.map(([args]) => candles(dir, args)));
  results.forEach((result, i) => {
    const [args, pattern] = cases[i];
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr.trimEnd(), pattern, args.join(" "));
    assert.equal(result.stderr.trimEnd().split("\n").length, 1, args.join(" "));
  });
  assert.equal(await sha256(`${dir}/t.db`), before);
  await Deno.remove(dir, { recursive: true });
});
