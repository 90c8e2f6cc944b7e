/**
 * `deno task check-strategy` through the real task process, on a temp DB of bundled candles:
 * passing strategies, and planted bugs (short warm-up, Math.random(), a throw) it must catch.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { sampleRows } from "../tests/support/sample_candles.ts";
import { tempStore } from "../tests/support/temp_store.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const TASK = fileURLToPath(new URL("./check_strategy.ts", import.meta.url));
const THROWS_AT = "2025-01-01T00:00:00.000Z";

/** Enters while close > SMA(50) but declares a warm-up of 5 candles. */
const SHORT_WARMUP =
  `import { defineStrategy, enterOnce, exitOnce, NO_INTENTS, Sma, z } from "../../src/strategy_api.ts";

const ENTER = enterOnce("close above SMA(50)");
const EXIT = exitOnce("close below SMA(50)");

export default defineStrategy({
  name: "short_warmup",
  description: "Enters while close > SMA(50) but declares a 5-candle warm-up.",
  params: z.object({}),
  create() {
    const sma = new Sma(50);
    return {
      name: "short_warmup",
      warmupCandles: 5,
      onCandle(candle, context) {
        const average = sma.update(candle.close);
        if (context.position === null) return candle.close > average ? ENTER : NO_INTENTS;
        return candle.close < average ? EXIT : NO_INTENTS;
      },
    };
  },
});
`;

const COIN_FLIP =
  `import { defineStrategy, enterOnce, exitOnce, NO_INTENTS, z } from "../../src/strategy_api.ts";

export default defineStrategy({
  name: "coin_flip",
  description: "Enters and exits on Math.random().",
  params: z.object({}),
  create() {
    return {
      name: "coin_flip",
      warmupCandles: 0,
      onCandle(_candle, context) {
        if (Math.random() < 0.9) return NO_INTENTS;
        return context.position === null ? enterOnce("heads") : exitOnce("tails");
      },
    };
  },
});
`;

const THROWER = `import { defineStrategy, NO_INTENTS, z } from "../../src/strategy_api.ts";

export default defineStrategy({
  name: "thrower",
  description: "Throws on one candle.",
  params: z.object({}),
  create() {
    return {
      name: "thrower",
      warmupCandles: 0,
      onCandle(candle) {
        if (candle.openTimeMs === Date.parse("${THROWS_AT}")) throw new Error("boom");
        return NO_INTENTS;
      },
    };
  },
});
`;

/** Reads the environment on every candle: allowed only outside the sandbox. */
const SNOOP = `import { defineStrategy, NO_INTENTS, z } from "../../src/strategy_api.ts";

export default defineStrategy({
  name: "snoop",
  description: "Reads DATABASE_URL.",
  params: z.object({}),
  create() {
    return {
      name: "snoop",
      warmupCandles: 0,
      onCandle() {
        Deno.env.get("DATABASE_URL");
        return NO_INTENTS;
      },
    };
  },
});
`;

/** A temp DB with a year of BTC/USDT 1h candles, and a config writer. */
async function fixture() {
  const temp = await tempStore();
  temp.store.candles.upsert(
    { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" },
    sampleRows("binance_BTC-USDT_1h.csv"),
  );
  const moduleDir = `strategies/tmp_check_${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(`${ROOT}${moduleDir}`);
  return {
    env: { DATABASE_URL: temp.url, NO_COLOR: "1", LOG_DIR: `${temp.dir}/logs` },
    /** Writes `strategies/tmp_…/x.ts` (when given) and a config `name`.yaml; returns its path. */
    async config(strategy: string, module?: string, name = "check"): Promise<string> {
      if (module !== undefined) await Deno.writeTextFile(`${ROOT}${moduleDir}/x.ts`, module);
      const path = `${temp.dir}/${name}.yaml`;
      await Deno.writeTextFile(
        path,
        `name: check\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\n` +
          `strategy:\n  ${strategy.replace("MODULE", `${moduleDir}/x.ts`)}\n` +
          `backtest:\n  from: 2024-07-10\n  to: 2025-07-10\n`,
      );
      return path;
    },
    async dispose() {
      await Deno.remove(`${ROOT}${moduleDir}`, { recursive: true });
      await temp.dispose();
    },
  };
}

async function checkStrategy(env: Record<string, string>, args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", TASK, ...args],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** The status column of each check's row in the table. */
function statuses(stdout: string): Record<string, string> {
  const rows = stdout.split("\n").map((line) => line.split(/\s{2,}/));
  const pick = (label: string) => rows.find((row) => row[0] === label)?.[1] ?? "missing";
  return {
    determinism: pick("determinism"),
    warmup: pick("warm-up"),
    lookahead: pick("no lookahead"),
    exceptions: pick("exceptions"),
  };
}

const ALL_PASS = { determinism: "pass", warmup: "pass", lookahead: "pass", exceptions: "pass" };

Deno.test("check-strategy task passes strategies/example.ts, as a table and as JSON", async () => {
  const f = await fixture();
  try {
    const config = await f.config(
      "module: strategies/example.ts\n  params: { fast: 10, slow: 30 }",
    );
    const table = await checkStrategy(f.env, ["--config", config]);
    assert.equal(table.code, 0, table.stderr + table.stdout);
    assert.match(table.stdout, /^Strategy check: example \(strategies\/example.ts\) on binance/);
    assert.deepEqual(statuses(table.stdout), ALL_PASS);
    assert.match(table.stdout, /No lookahead by construction: a strategy is handed only closed/);
    const json = await checkStrategy(f.env, ["--config", config, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.passed, true);
    assert.equal(report.range.candles, 8760);
    assert.deepEqual(report.checks.map((c: { check: string }) => c.check), [
      "determinism",
      "warmup",
      "lookahead",
      "exceptions",
    ]);
    assert.ok(report.checks[0].decisions > 0);
  } finally {
    await f.dispose();
  }
});

Deno.test("check-strategy task passes the built-in sma_cross config", async () => {
  const f = await fixture();
  try {
    const result = await checkStrategy(f.env, [
      "--config",
      "config/strategies/sma-cross-btc-1h.yaml",
    ]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /^Strategy check: sma_cross \(built-in\)/);
    assert.deepEqual(statuses(result.stdout), ALL_PASS);
  } finally {
    await f.dispose();
  }
});

Deno.test("check-strategy task fails a warm-up declared too short and suggests about 50", async () => {
  const f = await fixture();
  try {
    const config = await f.config("module: MODULE", SHORT_WARMUP);
    const result = await checkStrategy(f.env, ["--config", config]);
    assert.equal(result.code, 1, result.stderr + result.stdout);
    assert.deepEqual(statuses(result.stdout), { ...ALL_PASS, warmup: "fail" });
    const suggested = Number(/set warmupCandles to at least (\d+)/.exec(result.stdout)?.[1]);
    assert.ok(suggested >= 45 && suggested <= 55, result.stdout);
  } finally {
    await f.dispose();
  }
});

Deno.test("check-strategy task fails a strategy that uses Math.random() on determinism", async () => {
  const f = await fixture();
  try {
    const config = await f.config("module: MODULE", COIN_FLIP);
    const result = await checkStrategy(f.env, ["--config", config, "--json"]);
    assert.equal(result.code, 1, result.stderr);
    const [determinism, warmup, lookahead] = JSON.parse(result.stdout).checks;
    assert.equal(determinism.status, "fail");
    assert.equal(typeof determinism.firstDifferenceMs, "number");
    assert.deepEqual([warmup.status, lookahead.status], ["skip", "skip"]);
  } finally {
    await f.dispose();
  }
});

Deno.test("check-strategy task names the candle and line a strategy threw on", async () => {
  const f = await fixture();
  try {
    const config = await f.config("module: MODULE", THROWER);
    const result = await checkStrategy(f.env, ["--config", config]);
    assert.equal(result.code, 1, result.stderr + result.stdout);
    assert.equal(statuses(result.stdout).exceptions, "fail");
    assert.match(result.stdout, /exceptions +fail +threw on 1 candle, first 2025-01-01 00:00/);
    assert.match(
      result.stdout,
      /strategy thrower threw on candle 2025-01-01T00:00:00.000Z: Error: boom \(strategies\/tmp_check_\w+\/x.ts:12\)/,
    );
  } finally {
    await f.dispose();
  }
});

Deno.test("check-strategy task runs a user module's signal runs in its sandbox", async () => {
  const f = await fixture();
  try {
    const config = await f.config("module: MODULE", SNOOP);
    const result = await checkStrategy(f.env, ["--config", config, "--json"]);
    assert.equal(result.code, 1, result.stderr);
    const { exceptions } = JSON.parse(result.stdout).checks[3];
    // One per run start; the signal runs' own messages come first (a backtest's would start
    // "Cannot run backtest").
    assert.ok(exceptions.length > 0);
    for (const { message } of exceptions) {
      assert.match(message, /^strategy snoop threw on candle .*Requires env access/);
    }
  } finally {
    await f.dispose();
  }
});

Deno.test("check-strategy task rejects bad input with one line and exit code 2", async () => {
  const f = await fixture();
  try {
    const config = await f.config("module: strategies/example.ts");
    const cases: [string, string[], RegExp][] = [
      ["an unknown option", ["--config", config, "--fast"], /unknown option '--fast'/],
      ["no --config", [], /required option '--config <file>' not specified/],
      ["a missing config", ["--config", `${config}.nope`], /Cannot load config .*file not found/],
      [
        "a missing module",
        ["--config", await f.config("module: strategies/nope.ts", undefined, "nope")],
        /strategies\/nope\.ts: no such file/,
      ],
      [
        "no candles in the range",
        ["--config", config, "--from", "2020-01-01", "--to", "2020-02-01"],
        /no binance BTC\/USDT 1h candles/,
      ],
      [
        "too few candles for the warm-up",
        ["--config", config, "--from", "2025-07-09"],
        /24 candles are too few to check a warm-up of 30 candles/,
      ],
      ["a bad date", ["--config", config, "--to", "2025-02-30"], /--to: not a date/],
    ];
    for (const [what, args, message] of cases) {
      const result = await checkStrategy(f.env, args);
      assert.equal(result.code, 2, `${what}: exit ${result.code}, ${result.stderr}`);
      assert.equal(result.stderr.trim().split("\n").length, 1, `${what}: ${result.stderr}`);
      assert.match(result.stderr, message, what);
      assert.equal(result.stdout, "", what);
    }
  } finally {
    await f.dispose();
  }
});
