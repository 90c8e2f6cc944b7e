import assert from "node:assert/strict";
import { describeConfigKeys } from "./describe_config_keys.ts";

Deno.test("describeConfigKeys gives every key a description, and every optional key a default", () => {
  const keys = describeConfigKeys();
  assert.equal(keys.length, 40);
  // Exactly one of strategy.name and strategy.module is set; a cross-field check says so.
  const oneOf = ["strategy.name", "strategy.module"];
  for (const key of keys) {
    assert.ok(key.description.length > 10, `${key.key} has no description`);
    if (!key.required && !oneOf.includes(key.key)) {
      assert.notEqual(key.default, undefined, `${key.key} has no default`);
    }
  }
  const required = keys.filter((key) => key.required).map((key) => key.key);
  assert.deepEqual(required, ["name", "exchange", "symbol", "timeframe"]);
});

Deno.test("describeConfigKeys lists the documented keys with their bounds", () => {
  const byKey = new Map(describeConfigKeys().map((key) => [key.key, key]));
  for (
    const key of [
      "mode",
      "sandbox",
      "strategy.params",
      "risk.stake_pct",
      "risk.stake_amount",
      "risk.stop_loss_pct",
      "risk.take_profit_pct",
      "risk.trailing_stop_pct",
      "risk.max_drawdown_pct",
      "risk.daily_loss_limit_pct",
      "account.balance",
      "execution.fee_pct",
      "execution.slippage_bps",
      "execution.amount_step",
      "backtest.from",
      "backtest.to",
    ]
  ) assert.ok(byKey.has(key), `missing ${key}`);
  const stop = byKey.get("risk.stop_loss_pct")!;
  assert.equal(stop.bounds, "> 0, <= 100");
  assert.equal(stop.type, "number | null");
  assert.equal(stop.default, null);
  assert.equal(byKey.get("mode")!.bounds, "paper | live");
  assert.equal(byKey.get("risk.max_open_positions")!.type, "integer");
});
