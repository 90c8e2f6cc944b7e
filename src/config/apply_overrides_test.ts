import assert from "node:assert/strict";
import { ConfigError } from "../core/errors.ts";
import { applyOverrides, parseOverride } from "./apply_overrides.ts";
import { parseInstanceConfig } from "./load_instance_config.ts";
import { parseYaml } from "./yaml_source.ts";

Deno.test("applyOverrides sets nested keys from YAML scalars without touching the input", () => {
  const raw = { risk: { stop_loss_pct: 2 }, strategy: { name: "rsi" } };
  const result = applyOverrides(raw, [
    "risk.stop_loss_pct=3.5",
    "risk.take_profit_pct=null",
    "sandbox=true",
    "backtest.from=2024-01-01",
    "strategy.params.period=21",
    "name=a=b",
  ]);
  assert.deepEqual(result, {
    risk: { stop_loss_pct: 3.5, take_profit_pct: null },
    strategy: { name: "rsi", params: { period: 21 } },
    sandbox: true,
    backtest: { from: "2024-01-01" },
    name: "a=b",
  });
  assert.deepEqual(raw, { risk: { stop_loss_pct: 2 }, strategy: { name: "rsi" } });
});

Deno.test("applyOverrides rejects a set without = as a one-line ConfigError", () => {
  assert.throws(() => applyOverrides({}, ["risk.stop_loss_pct"]), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(
      error.message,
      `Cannot apply --set "risk.stop_loss_pct": expected key=value, e.g. risk.stop_loss_pct=3`,
    );
    return true;
  });
  assert.throws(() => parseOverride("=3"), {
    message: `Cannot apply --set "=3": expected key=value, e.g. risk.stop_loss_pct=3`,
  });
});

Deno.test("applyOverrides rejects unknown key paths with a did-you-mean", () => {
  assert.throws(() => applyOverrides({}, ["risk.stop_los_pct=3"]), {
    message:
      `Cannot apply --set "risk.stop_los_pct=3": unknown key "risk.stop_los_pct"; did you mean "risk.stop_loss_pct"?`,
  });
  assert.throws(() => applyOverrides({}, ["risk.stop_loss_pct.x=3"]), {
    message: `Cannot apply --set "risk.stop_loss_pct.x=3": unknown key "risk.stop_loss_pct.x"`,
  });
  assert.throws(() => applyOverrides({}, ["risk..x=3"]), {
    message: `Cannot apply --set "risk..x=3": "risk..x" is not a key path`,
  });
  assert.throws(() => applyOverrides({}, ["strategy.params.a.b=3"]), ConfigError);
});

Deno.test("applyOverrides rejects a value that is not valid YAML", () => {
  assert.throws(() => applyOverrides({}, ["risk.stop_loss_pct=[1"]), {
    message: `Cannot apply --set "risk.stop_loss_pct=[1": value is not valid YAML`,
  });
});

Deno.test("parseOverride hands out a fresh copy of a value it parsed before", () => {
  const first = parseOverride("strategy.params.levels=[1, 2]");
  (first.value as number[]).push(3);
  first.path.push("x");
  const again = parseOverride("strategy.params.levels=[1, 2]");
  assert.deepEqual(again, { path: ["strategy", "params", "levels"], value: [1, 2] });
});

Deno.test("a sweep's YAML parsed once validates each combination as the text does", () => {
  const text = "name: sweep\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\n" +
    "strategy:\n  name: sma_cross\n  params:\n    fast: 10\n";
  const yaml = parseYaml(text);
  assert.ok("data" in yaml);
  const before = structuredClone(yaml.data);
  for (const fast of [5, 6]) {
    const overrides = [`strategy.params.fast=${fast}`, "strategy.params.slow=40"];
    assert.deepEqual(
      parseInstanceConfig(yaml, { overrides }),
      parseInstanceConfig(text, { overrides }),
    );
  }
  assert.deepEqual(parseInstanceConfig(yaml), parseInstanceConfig(text));
  assert.deepEqual(yaml.data, before);
  // A combination the schema refuses is reported with its --set, as from the text.
  const bad = ["strategy.params.fast=1"];
  assert.throws(() => parseInstanceConfig(yaml, { overrides: bad }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.throws(() => parseInstanceConfig(text, { overrides: bad }), { message: error.message });
    assert.match(error.message, /strategy\.params\.fast=1/);
    return true;
  });
});
