import assert from "node:assert/strict";
import { ConfigError, EXIT_BAD_INPUT } from "../core/errors.ts";
import { loadInstanceConfig, parseInstanceConfig } from "./load_instance_config.ts";

const PATH = "config/strategies/x.yaml";
const BASE = "exchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: rsi\n";

/** The one-line message `parseInstanceConfig` throws for `text`. */
function errorFor(text: string, options: { overrides?: string[] } = {}): string {
  try {
    parseInstanceConfig(text, { path: PATH, ...options });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    assert.equal(error.exitCode, EXIT_BAD_INPUT);
    assert.ok(!error.message.includes("\n"), `not one line: ${error.message}`);
    return error.message;
  }
  assert.fail("expected a ConfigError");
}

const PREFIX = `Cannot load config "${PATH}": `;

Deno.test("parseInstanceConfig fills every default for a minimal config", () => {
  const config = parseInstanceConfig(BASE, { path: "config/strategies/btc-min.yaml" });
  assert.equal(config.name, "btc-min");
  assert.equal(config.mode, "paper");
  assert.equal(config.risk.stake_pct, 95);
  assert.equal(config.risk.stake_amount, null);
  assert.equal(config.risk.stop_loss_pct, null);
  assert.equal(config.account.balance, 10000);
  assert.equal(config.execution.slippage_bps, 5);
  assert.deepEqual(config.strategy.params, { period: 14, oversold: 30, overbought: 70 });
  assert.equal(config.trade.heartbeat_seconds, 5);
});

Deno.test("parseInstanceConfig keeps stake_amount and leaves stake_pct null", () => {
  const config = parseInstanceConfig(`${BASE}risk:\n  stake_amount: 250\n`, { path: PATH });
  assert.equal(config.risk.stake_amount, 250);
  assert.equal(config.risk.stake_pct, null);
});

Deno.test("parseInstanceConfig reports a value out of bounds with its line", () => {
  assert.equal(
    errorFor(`${BASE}risk:\n  stop_loss_pct: 150\n`),
    `${PREFIX}line 7: risk.stop_loss_pct: must be between 0 and 100 (got 150)`,
  );
  assert.equal(
    errorFor(`${BASE}risk:\n  stop_loss_pct: 0\n`),
    `${PREFIX}line 7: risk.stop_loss_pct: must be greater than 0 (got 0)`,
  );
});

Deno.test("parseInstanceConfig reports a wrong type", () => {
  assert.equal(
    errorFor(`${BASE}account:\n  balance: lots\n`),
    `${PREFIX}line 7: account.balance: must be a number (got "lots")`,
  );
  assert.equal(
    errorFor(`${BASE}risk:\n  stop_loss_pct: "2"\n`),
    `${PREFIX}line 7: risk.stop_loss_pct: must be a number or null (got "2")`,
  );
  assert.equal(
    errorFor(`${BASE}sandbox: yes\n`),
    `${PREFIX}line 6: sandbox: must be true or false (got "yes")`,
  );
});

Deno.test("parseInstanceConfig rejects unknown keys with a did-you-mean", () => {
  assert.equal(
    errorFor(`${BASE}risk:\n  stop_los_pct: 2\n`),
    `${PREFIX}line 7: risk.stop_los_pct: unknown key; did you mean "stop_loss_pct"?`,
  );
  assert.equal(
    errorFor(`${BASE}risks: {}\n`),
    `${PREFIX}line 6: risks: unknown key; did you mean "risk"?`,
  );
  assert.match(
    errorFor(`${BASE}zzzzzzzz: 1\n`),
    /line 6: zzzzzzzz: unknown key; known: name, exchange, /,
  );
});

Deno.test("parseInstanceConfig rejects an unknown strategy, listing the known ones", () => {
  assert.match(
    errorFor(BASE.replace("name: rsi", "name: foo")),
    /^Cannot load config ".+": line 5: strategy\.name: unknown strategy "foo"; known: rsi, rsi_macd, /,
  );
});

Deno.test("parseInstanceConfig validates strategy params with the strategy's schema", () => {
  assert.equal(
    errorFor(`${BASE}  params:\n    perod: 3\n`),
    `${PREFIX}line 7: strategy.params.perod: unknown key; did you mean "period"?`,
  );
  assert.equal(
    errorFor(`${BASE}  params:\n    period: 1\n`),
    `${PREFIX}line 7: strategy.params.period: must be between 2 and 500 (got 1)`,
  );
});

for (const timeframe of ["7m", "1H", "-1h"]) {
  Deno.test(`parseInstanceConfig rejects timeframe ${timeframe}`, () => {
    const message = errorFor(BASE.replace("timeframe: 1h", `timeframe: "${timeframe}"`));
    assert.ok(
      message.startsWith(`${PREFIX}line 3: timeframe: must be one of 1m, 3m, 5m, 15m, 30m, 1h,`),
    );
    assert.ok(message.endsWith(`(got "${timeframe}")`), message);
  });
}

for (const symbol of ["BTCUSDT", "BTC/", "/USDT", "btc/usdt"]) {
  Deno.test(`parseInstanceConfig rejects symbol ${symbol}`, () => {
    assert.equal(
      errorFor(BASE.replace("BTC/USDT", `"${symbol}"`)),
      `${PREFIX}line 2: symbol: must look like BASE/QUOTE, e.g. BTC/USDT (got "${symbol}")`,
    );
  });
}

Deno.test("parseInstanceConfig gives empty, malformed and hostile YAML their own messages", () => {
  assert.equal(errorFor(""), `${PREFIX}file is empty`);
  assert.equal(errorFor("  \n\n"), `${PREFIX}file is empty`);
  assert.equal(errorFor("# only a comment\n"), `${PREFIX}file is empty (only comments)`);
  assert.match(
    errorFor(`${BASE}risk: [1, 2\n`),
    /^Cannot load config ".+": line 7: malformed YAML: /,
  );
  assert.equal(errorFor(`${BASE}timeframe: 4h\n`), `${PREFIX}line 6: duplicate key "timeframe"`);
  assert.equal(
    errorFor(`${BASE}risk:\n\tstop_loss_pct: 2\n`),
    `${PREFIX}line 7: tab used for indentation; YAML needs spaces`,
  );
  assert.equal(
    errorFor(`${BASE}---\nname: b\n`),
    `${PREFIX}line 6: more than one YAML document (---)`,
  );
  assert.equal(
    errorFor("- a\n- b\n"),
    `${PREFIX}line 1: must be a mapping of keys to values, not a list or a scalar`,
  );
  const bomb = ["a: &a [x,x,x,x,x,x,x,x,x]"];
  for (const [name, prev] of [["b", "a"], ["c", "b"], ["d", "c"], ["e", "d"]]) {
    bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  assert.equal(
    errorFor(bomb.join("\n")),
    `${PREFIX}too many YAML alias expansions (over 100): alias bomb?`,
  );
});

Deno.test("parseInstanceConfig runs the named cross-field checks", () => {
  assert.equal(
    errorFor(`${BASE}risk:\n  stop_loss_pct: 5\n  take_profit_pct: 4\n`),
    `${PREFIX}line 8: risk.take_profit_pct: must be greater than risk.stop_loss_pct (5) (got 4)`,
  );
  assert.equal(
    errorFor(`${BASE}risk:\n  stake_pct: 5\n  stake_amount: 4\n`),
    `${PREFIX}line 8: risk.stake_amount: set either stake_pct or stake_amount, not both`,
  );
  assert.equal(
    errorFor(`${BASE}backtest:\n  from: 2024-02-30\n`),
    `${PREFIX}line 7: backtest.from: is not a real date (got "2024-02-30")`,
  );
  assert.equal(
    errorFor(`${BASE}backtest:\n  from: 2024-02-01\n  to: 2024-01-01\n`),
    `${PREFIX}line 8: backtest.to: must be after backtest.from (2024-02-01)`,
  );
});

Deno.test("parseInstanceConfig names a missing key and counts the rest", () => {
  assert.equal(errorFor("exchange: binance\n"), `${PREFIX}symbol: is required (and 2 more)`);
});

Deno.test("parseInstanceConfig rejects a file name that is not a valid default name", () => {
  assert.throws(
    () => parseInstanceConfig(BASE, { path: "config/Foo_bar.yaml" }),
    {
      message:
        `Cannot load config "config/Foo_bar.yaml": name: must contain only a-z, 0-9 and - (got "Foo_bar"); set name: (the file name is the default)`,
    },
  );
});

Deno.test("parseInstanceConfig applies overrides and blames the --set for their errors", () => {
  const config = parseInstanceConfig(BASE, {
    path: PATH,
    overrides: ["risk.stop_loss_pct=3", "strategy.params.period=20"],
  });
  assert.equal(config.risk.stop_loss_pct, 3);
  assert.equal(config.strategy.params.period, 20);
  assert.equal(
    errorFor(BASE, { overrides: ["risk.stop_loss_pct=150"] }),
    `${PREFIX}--set risk.stop_loss_pct=150: risk.stop_loss_pct: must be between 0 and 100 (got 150)`,
  );
});

Deno.test("parseInstanceConfig can skip strategy checks for tools", () => {
  const config = parseInstanceConfig(BASE.replace("name: rsi", "name: not_yet"), {
    path: PATH,
    strategies: null,
  });
  assert.equal(config.strategy.name, "not_yet");
});

Deno.test("loadInstanceConfig rejects missing, directory, empty, huge and non-UTF-8 files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const expect = async (path: string, why: string) => {
      await assert.rejects(() => loadInstanceConfig(path), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, `Cannot load config "${path}": ${why}`);
        return true;
      });
    };
    await expect(`${dir}/missing.yaml`, "file not found");
    await expect(dir, "is a directory, not a file");
    await Deno.writeTextFile(`${dir}/empty.yaml`, "");
    await expect(`${dir}/empty.yaml`, "file is empty");
    await Deno.writeFile(
      `${dir}/latin1.yaml`,
      new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]),
    );
    await expect(`${dir}/latin1.yaml`, "file is not valid UTF-8 text");
    await Deno.writeTextFile(`${dir}/big.yaml`, `# ${"x".repeat(1024 * 1024)}\n`);
    await expect(`${dir}/big.yaml`, `file is larger than 1 MB (${1024 * 1024 + 3} bytes)`);
    await Deno.writeTextFile(`${dir}/ok-file.yaml`, BASE);
    assert.equal((await loadInstanceConfig(`${dir}/ok-file.yaml`)).name, "ok-file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
