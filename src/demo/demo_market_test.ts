import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadInstanceConfig } from "../config/mod.ts";
import type { MarketRef } from "../core/types.ts";
import { openStore } from "../storage/mod.ts";
import { chooseDemoMarket, demoMarketFootnote, planDemoMarkets } from "./mod.ts";

const CONFIG_DIR = fileURLToPath(new URL("../../config/strategies/", import.meta.url));

/** The bundled samples' markets. */
const BUNDLED: MarketRef[] = [
  { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" },
  { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" },
  { exchange: "binance", symbol: "BTC/USDT", timeframe: "5m" },
  { exchange: "binance", symbol: "ETH/USDT", timeframe: "15m" },
  { exchange: "kraken", symbol: "BTC/USD", timeframe: "15m" },
  { exchange: "kraken", symbol: "BTC/USD", timeframe: "1h" },
];

Deno.test("chooseDemoMarket keeps a bundled market, or resamples the same symbol from its longest base", () => {
  const eth = { exchange: "binance", symbol: "ETH/USDT", timeframe: "15m" } as const;
  assert.deepEqual(chooseDemoMarket(eth, BUNDLED), {
    market: eth,
    resampledFrom: null,
    note: null,
  });
  const kraken4h = { exchange: "kraken", symbol: "BTC/USD", timeframe: "4h" } as const;
  const resampled = chooseDemoMarket(kraken4h, BUNDLED)!;
  assert.deepEqual(resampled, {
    market: kraken4h,
    resampledFrom: "1h",
    note: "no bundled 4h candles",
  });
  assert.equal(
    demoMarketFootnote("btc-kraken-4h", resampled),
    "* btc-kraken-4h ran on kraken BTC/USD 4h (resampled from 1h): no bundled 4h candles",
  );
});

Deno.test("chooseDemoMarket runs an unbundled market on binance BTC/USDT, resampled when needed", () => {
  const cases: [MarketRef & { timeframe: "2h" | "1h" | "30m" | "1m" }, string][] = [
    [
      { exchange: "bybit", symbol: "AVAX/USDT", timeframe: "2h" },
      "* x ran on binance BTC/USDT 2h (resampled from 1h): no bundled candles for bybit AVAX/USDT",
    ],
    [
      { exchange: "coinbase", symbol: "BTC/USD", timeframe: "1h" },
      "* x ran on binance BTC/USDT 1h: no bundled candles for coinbase BTC/USD",
    ],
    [
      { exchange: "binance", symbol: "MATIC/USDT", timeframe: "30m" },
      "* x ran on binance BTC/USDT 30m (resampled from 5m): no bundled candles for binance MATIC/USDT",
    ],
    [
      { exchange: "kraken", symbol: "BTC/USD", timeframe: "1m" },
      "* x ran on binance BTC/USDT 1m: no bundled kraken BTC/USD candles resample to 1m",
    ],
  ];
  for (const [config, footnote] of cases) {
    assert.equal(demoMarketFootnote("x", chooseDemoMarket(config, BUNDLED)!), footnote);
  }
});

Deno.test("chooseDemoMarket prefers stored candles of the config's own market to a stand-in", () => {
  const sol = { exchange: "kraken", symbol: "SOL/USDT", timeframe: "4h" } as const;
  assert.deepEqual(chooseDemoMarket(sol, BUNDLED, { stored: true }), {
    market: sol,
    resampledFrom: null,
    note: null,
  });
});

Deno.test("chooseDemoMarket falls back to the nearest reachable timeframe, or null without a stand-in", () => {
  const hourOnly = [{ exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" }];
  const sol30m = { exchange: "kraken", symbol: "SOL/USDT", timeframe: "30m" } as const;
  assert.deepEqual(chooseDemoMarket(sol30m, hourOnly)?.market, {
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
  });
  const sol1m = { ...sol30m, timeframe: "1m" } as const;
  assert.equal(chooseDemoMarket(sol1m, hourOnly)?.market.timeframe, "1h");
  assert.equal(chooseDemoMarket(sol30m, BUNDLED.slice(3)), null);
});

Deno.test("planDemoMarkets gives every example config a market and resamples each series once", async () => {
  const configs = await Promise.all(
    [...Deno.readDirSync(CONFIG_DIR)].filter((entry) => entry.name.endsWith(".yaml")).map((
      entry,
    ) => loadInstanceConfig(join(CONFIG_DIR, entry.name), { strategies: null })),
  );
  const store = openStore("sqlite::memory:");
  try {
    const t0 = Date.UTC(2024, 6, 10);
    const hours = Array.from(
      { length: 48 },
      (_, i) =>
        [t0 + i * 3_600_000, 100, 101, 99, 100, 1] as [
          number,
          number,
          number,
          number,
          number,
          number,
        ],
    );
    store.candles.upsert(BUNDLED[0], hours);
    const { plans, resampled } = planDemoMarkets(store.candles, configs, BUNDLED.slice(0, 1));
    assert.ok(plans.every((plan) => plan.demo !== null));
    assert.deepEqual(
      new Set(plans.map((plan) => plan.config.strategy.name)),
      new Set(["rsi", "rsi_macd", "rules", "scalping", "sma_cross", "trend_following"]),
    );
    assert.deepEqual(
      resampled.map((r) => `${r.market.timeframe} ${r.candles} ${r.inserted}`).sort(),
      ["2h 24 24", "4h 12 12"],
    );
    assert.equal(store.candles.bounds({ ...BUNDLED[0], timeframe: "4h" })?.count, 12);
    const again = planDemoMarkets(store.candles, configs, BUNDLED.slice(0, 1));
    assert.deepEqual(again.resampled.map((r) => r.unchanged).sort(), [12, 24]);
  } finally {
    store.close();
  }
});
