import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { strategyNames } from "../strategies/registry.ts";
import { loadInstanceConfig } from "./load_instance_config.ts";

const DIR = fileURLToPath(new URL("../../config/strategies/", import.meta.url));

Deno.test("example configs all validate, in paper mode, named after their files", async () => {
  // Strategy names and params are checked whenever the registry has strategies (it does once
  // src/strategies is complete); with an empty registry only the config schema is checked.
  const strategies = strategyNames().length > 0 ? undefined : null;
  const files = [...Deno.readDirSync(DIR)].filter((entry) => entry.name.endsWith(".yaml")).map((
    entry,
  ) => entry.name);
  assert.ok(files.length >= 7, `only ${files.length} example configs`);
  const names = new Set<string>();
  for (const file of files.sort()) {
    const config = await loadInstanceConfig(join(DIR, file), { strategies });
    assert.equal(config.name, basename(file, ".yaml"));
    assert.equal(config.mode, "paper");
    names.add(config.name);
  }
  assert.equal(names.size, files.length);
});

Deno.test("example configs cover the seven seed instances", async () => {
  const seen = new Set<string>();
  for (const entry of Deno.readDirSync(DIR)) {
    if (!entry.name.endsWith(".yaml")) continue;
    const config = await loadInstanceConfig(join(DIR, entry.name), { strategies: null });
    seen.add(`${config.exchange} ${config.symbol} ${config.timeframe} ${config.strategy.name}`);
  }
  for (
    const expected of [
      "binance BTC/USDT 1h rsi_macd",
      "binance ETH/USDT 15m scalping",
      "kraken SOL/USDT 4h trend_following",
      "coinbase BTC/USD 1h rsi",
      "binance MATIC/USDT 30m rsi",
      "bybit AVAX/USDT 2h trend_following",
      "binance BTC/USDT 1h sma_cross",
    ]
  ) assert.ok(seen.has(expected), `missing ${expected}`);
});
