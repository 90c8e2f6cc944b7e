import assert from "node:assert/strict";
import { ConfigError } from "../core/errors.ts";
import { applyOverrides, parseOverride } from "./apply_overrides.ts";

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
