import assert from "node:assert/strict";
import { ConfigError } from "../core/errors.ts";
import type { ExchangeContext, MarketLimits } from "./exchange_checks.ts";
import { parseInstanceConfig } from "./load_instance_config.ts";

const BASE =
  "name: t\nexchange: coinbase\nsymbol: BTC/USD\ntimeframe: 1h\nstrategy:\n  name: rsi\n";
// Coinbase as CCXT 4.5.84's class describes it.
const COINBASE = {
  id: "coinbase",
  timeframes: ["1m", "5m", "15m", "30m", "1h", "2h", "6h", "1d"],
  hasSandbox: false,
  hasStopMarket: false,
};
const MARKETS: MarketLimits[] = [
  { symbol: "BTC/USD", quote: "USD", active: true, minNotional: 1 },
  { symbol: "BTC/USDC", quote: "USDC", active: true, minNotional: 1 },
  { symbol: "ETH/USD", quote: "USD", active: true, minNotional: 1 },
  { symbol: "LUNA/USD", quote: "USD", active: false, minNotional: 1 },
];

function context(markets: readonly MarketLimits[] = []): ExchangeContext {
  return { rules: (id) => (id === "coinbase" ? COINBASE : null), markets: () => markets };
}

function errorFor(text: string, markets: readonly MarketLimits[] = []): string {
  try {
    parseInstanceConfig(text, { path: "c.yaml", exchange: context(markets) });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("exchange checks refuse a timeframe the exchange lacks, listing what it offers", () => {
  assert.equal(
    errorFor(BASE.replace("1h", "4h")),
    'Cannot load config "c.yaml": line 4: timeframe: coinbase does not offer 4h candles; ' +
      "it offers 1m 5m 15m 30m 1h 2h 6h 1d",
  );
});

Deno.test("exchange checks refuse sandbox: true where CCXT has no testnet", () => {
  assert.equal(
    errorFor(`${BASE}sandbox: true\n`),
    'Cannot load config "c.yaml": line 7: sandbox: coinbase has no testnet in CCXT; ' +
      "set sandbox: false (binance and bybit have one)",
  );
});

Deno.test("exchange checks refuse risk.stop_on_exchange where there are no stop-market orders", () => {
  assert.equal(
    errorFor(`${BASE}risk:\n  stop_loss_pct: 2\n  stop_on_exchange: true\n`),
    'Cannot load config "c.yaml": line 9: risk.stop_on_exchange: coinbase has no stop-market ' +
      "orders (CCXT sends only stop-limit ones there); set risk.stop_on_exchange: false and the " +
      "trader watches the stop itself",
  );
  // Off (the default), or on an exchange with stop-market orders, it passes.
  assert.doesNotThrow(() =>
    parseInstanceConfig(`${BASE}risk:\n  stop_on_exchange: false\n`, {
      path: "c.yaml",
      exchange: context(),
    })
  );
  assert.doesNotThrow(() =>
    parseInstanceConfig(`${BASE}risk:\n  stop_on_exchange: true\n`, {
      path: "c.yaml",
      exchange: { rules: () => ({ ...COINBASE, id: "kraken", hasStopMarket: true }) },
    })
  );
});

Deno.test("exchange checks refuse a symbol the cached markets lack, with did you mean", () => {
  assert.equal(
    errorFor(BASE.replace("BTC/USD", "BTC/USDT"), MARKETS),
    'Cannot load config "c.yaml": line 3: symbol: BTC/USDT is not one of the 4 markets on ' +
      "coinbase; did you mean BTC/USD or BTC/USDC?",
  );
  assert.equal(
    errorFor(BASE.replace("BTC/USD", "LUNA/USD"), MARKETS),
    'Cannot load config "c.yaml": line 3: symbol: LUNA/USD is not active on coinbase',
  );
});

Deno.test("exchange checks refuse a stake below the market's minimum notional", () => {
  const markets = [{ symbol: "BTC/USD", quote: "USD", active: true, minNotional: 10 }];
  assert.equal(
    errorFor(`${BASE}risk:\n  stake_amount: 5\n`, markets),
    'Cannot load config "c.yaml": line 8: risk.stake_amount: 5 USD is below the minimum order ' +
      "of 10 USD for BTC/USD on coinbase",
  );
  assert.equal(
    errorFor(`${BASE}risk:\n  stake_pct: 50\naccount:\n  balance: 15\n`, markets),
    'Cannot load config "c.yaml": line 8: risk.stake_pct: a 50% stake of account.balance 15 ' +
      "is 7.5 USD, below the minimum order of 10 USD for BTC/USD on coinbase",
  );
  assert.equal(
    errorFor(`${BASE}account:\n  balance: 10\n`, markets),
    'Cannot load config "c.yaml": line 8: account.balance: a 95% stake of account.balance 10 ' +
      "is 9.5 USD, below the minimum order of 10 USD for BTC/USD on coinbase",
  );
});

Deno.test("exchange checks pass a config that fits, and skip what is unknown", () => {
  const markets = [{ symbol: "BTC/USD", quote: "USD", active: true, minNotional: 10 }];
  const ok = parseInstanceConfig(`${BASE}risk:\n  stake_amount: 10\n`, {
    exchange: context(markets),
  });
  assert.equal(ok.risk.stake_amount, 10);
  // Live stakes a share of the real balance, unknown offline.
  parseInstanceConfig(`${BASE}mode: live\naccount:\n  balance: 1\n`, {
    exchange: context(markets),
  });
  // No cached markets: the symbol is not checked.
  parseInstanceConfig(BASE.replace("BTC/USD", "NOPE/USD"), { exchange: context([]) });
  // An exchange CCXT does not know (candles imported under that name): nothing to check.
  parseInstanceConfig(BASE.replace("coinbase", "bench").replace("1h", "3d"), {
    exchange: context(MARKETS),
  });
});

Deno.test("exchange checks refuse an exchange id CCXT lacks only where one is required", () => {
  const known: ExchangeContext = { ...context(), knownIds: ["binance", "coinbase", "kraken"] };
  assert.throws(
    () =>
      parseInstanceConfig(BASE.replace("coinbase", "coinbsae"), {
        path: "c.yaml",
        exchange: known,
      }),
    {
      message:
        'Cannot load config "c.yaml": line 2: exchange: coinbsae is not a CCXT exchange id; ' +
        "did you mean coinbase?",
    },
  );
  // A backtest of candles imported under a made-up name still loads.
  parseInstanceConfig(BASE.replace("coinbase", "bench"), { exchange: context() });
});
