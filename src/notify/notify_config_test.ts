import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { ConfigError } from "../core/errors.ts";

const BASE = `exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  name: rsi
`;
const PATH = "config/strategies/btc.yaml";

Deno.test("notify section: absent means every event, set it filters events, channels and pnl", () => {
  assert.equal(parseInstanceConfig(BASE, { path: PATH }).notify, null);
  const config = parseInstanceConfig(
    `${BASE}notify:\n  events: [order_filled, paused]\n  channels: [telegram]\n  min_pnl_pct: 1.5\n`,
    { path: PATH },
  );
  assert.deepEqual(config.notify, {
    events: ["order_filled", "paused"],
    channels: ["telegram"],
    min_pnl_pct: 1.5,
  });
});

Deno.test("notify section: an unknown event or channel is one line with the line and did you mean", () => {
  const cases: [string, string][] = [
    [
      "notify:\n  events: [order_filed]\n",
      `Cannot load config "${PATH}": line 7: notify.events.0: unknown event "order_filed"; did you mean "order_filled"?`,
    ],
    [
      "notify:\n  channels: [telegramm]\n",
      `Cannot load config "${PATH}": line 7: notify.channels.0: unknown channel "telegramm"; did you mean "telegram"?`,
    ],
  ];
  for (const [yaml, message] of cases) {
    assert.throws(() => parseInstanceConfig(BASE + yaml, { path: PATH }), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, message);
      return true;
    });
  }
});
