import assert from "node:assert/strict";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import { emulatorClient } from "../../tests/support/exchange_harness.ts";
import { openStore } from "../storage/mod.ts";
import { createExchange } from "./exchange_client.ts";
import {
  type CachedMarket,
  loadMarketCatalog,
  MARKET_MAX_AGE_MS,
  type MarketCache,
  MarketValidationError,
} from "./market_catalog.ts";

class MemoryCache implements MarketCache {
  rows: CachedMarket[] = [];
  list(exchange: string) {
    return this.rows.filter((m) => m.exchange === exchange);
  }
  upsert(markets: readonly CachedMarket[]) {
    const symbols = new Set(markets.map((m) => `${m.exchange} ${m.symbol}`));
    this.rows = [...this.rows.filter((m) => !symbols.has(`${m.exchange} ${m.symbol}`)), ...markets];
  }
}

const NOW = Date.UTC(2024, 7, 1);

function thrown(fn: () => unknown): MarketValidationError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof MarketValidationError);
    return error;
  }
  throw new Error("expected a MarketValidationError");
}

Deno.test("loadMarketCatalog caches precision, limits and fees from exchangeInfo", async () => {
  await using emulator = new BinanceEmulator();
  const cache = new MemoryCache();
  const catalog = await loadMarketCatalog(emulatorClient(emulator), { nowMs: NOW, cache });
  assert.equal(catalog.source, "exchange");
  const btc = cache.list("binance").find((m) => m.symbol === "BTC/USDT")!;
  assert.deepEqual(
    [
      btc.base,
      btc.quote,
      btc.amountStep,
      btc.priceStep,
      btc.minAmount,
      btc.minNotional,
      btc.fetchedMs,
    ],
    ["BTC", "USDT", 0.00001, 0.01, 0.00001, 5, NOW],
  );
  assert.equal(
    cache.list("binance").find((m) => m.symbol === "SOL/USDT")!.minNotional,
    5,
    "MIN_NOTIONAL",
  );
  assert.ok(btc.timeframes!.includes("1h"));
  assert.equal(typeof btc.takerFee, "number");
});

Deno.test("loadMarketCatalog uses a fresh cache without a request and refetches after a day", async () => {
  await using emulator = new BinanceEmulator();
  const cache = new MemoryCache();
  await loadMarketCatalog(emulatorClient(emulator), { nowMs: NOW, cache });
  emulator.clearRequests();
  const client = emulatorClient(emulator);
  const cached = await loadMarketCatalog(client, { nowMs: NOW + MARKET_MAX_AGE_MS - 1, cache });
  assert.equal(cached.source, "cache");
  assert.equal(emulator.requests().length, 0);
  assert.equal(
    client.ccxt.amountToPrecision("BTC/USDT", 0.123456789),
    "0.12345",
    "CCXT got the cached markets",
  );
  const stale = await loadMarketCatalog(emulatorClient(emulator), {
    nowMs: NOW + MARKET_MAX_AGE_MS,
    cache,
  });
  assert.equal(stale.source, "exchange");
  assert.deepEqual(emulator.requests().map((r) => r.path), ["/api/v3/exchangeInfo"]);
  assert.equal(cache.list("binance")[0].fetchedMs, NOW + MARKET_MAX_AGE_MS);
});

Deno.test("MarketCatalog.validate names close symbols and the exchange's timeframes", async () => {
  await using emulator = new BinanceEmulator();
  const catalog = await loadMarketCatalog(emulatorClient(emulator), { nowMs: NOW });
  assert.equal(catalog.validate("BTC/USDT", "1h").symbol, "BTC/USDT");
  assert.equal(
    thrown(() => catalog.validate("BTC/USD", "1h")).message,
    "Cannot use market: symbol: BTC/USD is not traded on binance; did you mean BTC/USDC or BTC/USDT?",
  );
  const timeframe = thrown(() => catalog.validate("BTC/USDT", "2d"));
  assert.equal(timeframe.field, "timeframe");
  assert.match(timeframe.reason, /^binance has no 2d timeframe; it has 1s 1m 3m 5m 15m 30m 1h 2h/);
});

Deno.test("MarketCatalog.validate on kraken from a cache, as in the config errors", async () => {
  const cache = new MemoryCache();
  const market = (symbol: string): CachedMarket => {
    const [base, quote] = symbol.split("/");
    const raw = {
      id: symbol.replace("/", ""),
      symbol,
      base,
      quote,
      active: true,
      spot: true,
      type: "spot",
    };
    return {
      exchange: "kraken",
      symbol,
      base,
      quote,
      active: true,
      amountStep: null,
      priceStep: null,
      minAmount: null,
      minNotional: null,
      makerFee: null,
      takerFee: null,
      timeframes: null,
      raw,
      fetchedMs: NOW,
    };
  };
  cache.upsert(["BTC/USD", "ETH/USD", "BTC/EUR"].map(market));
  const catalog = await loadMarketCatalog(createExchange("kraken"), { nowMs: NOW, cache });
  assert.equal(
    thrown(() => catalog.validate("BTC/USDT", "1h")).reason,
    "BTC/USDT is not traded on kraken; did you mean BTC/USD?",
  );
  assert.equal(
    thrown(() => catalog.validate("BTC/USD", "2h")).reason,
    "kraken has no 2h timeframe; it has 1m 5m 15m 30m 1h 4h 1d 1w 2w",
  );
});

Deno.test("loadMarketCatalog round-trips through the real markets table", async () => {
  const dir = await Deno.makeTempDir();
  await using emulator = new BinanceEmulator();
  const store = openStore(`sqlite:${dir}/markets.db`);
  try {
    await loadMarketCatalog(emulatorClient(emulator), { nowMs: NOW, cache: store.markets });
    emulator.clearRequests();
    const client = emulatorClient(emulator);
    const catalog = await loadMarketCatalog(client, { nowMs: NOW + 1000, cache: store.markets });
    assert.equal(catalog.source, "cache");
    assert.equal(emulator.requests().length, 0);
    assert.equal(catalog.market("ETH/USDT").amountStep, 0.0001);
    assert.equal(client.ccxt.priceToPrecision("ETH/USDT", 3000.123456), "3000.12");
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
