/**
 * Fees per exchange through one code path: each seed exchange's own fill shape, parsed by its
 * real CCXT class, then mapped by `toFill`. Kraken and Coinbase charge in the quote currency;
 * Binance and Bybit take a spot buyer's fee out of the coin received.
 */
import assert from "node:assert/strict";
import type { Trade } from "ccxt";
import { exchangeClass } from "./exchange_client.ts";
import { toFill } from "./order_mapping.ts";
import { ccxtSpotMarket } from "../../tests/support/market_fixtures.ts";

function parsedTrade(id: string, symbol: string, marketId: string, raw: unknown): Trade {
  const exchange = new (exchangeClass(id))();
  exchange.setMarkets([ccxtSpotMarket(marketId, symbol) as never]);
  return exchange.parseTrade(raw as Record<string, unknown>, exchange.market(symbol));
}

const USD = { base: "BTC", quote: "USD" };
const USDT = { base: "BTC", quote: "USDT" };

Deno.test("toFill: a Kraken fill's fee is in the quote currency", () => {
  const trade = parsedTrade("kraken", "BTC/USD", "XXBTZUSD", {
    ordertxid: "OQCLML-BW3P3-BUCMWZ",
    postxid: "TKH2SE-M7IF5-CFI7LT",
    pair: "XXBTZUSD",
    time: 1764756000.1234,
    type: "buy",
    ordertype: "market",
    price: "50000.0",
    cost: "50.0",
    fee: "0.2",
    vol: "0.001",
    margin: "0.0",
    misc: "",
    trade_id: 93748276,
  });
  const fill = toFill(trade, "k3xq-hkz3c-e1", USD);
  assert.equal(trade.fee?.currency, "USD");
  assert.deepEqual([fill.price, fill.baseAmount, fill.feeQuote, fill.feeBaseAmount], [
    50000,
    0.001,
    0.2,
    0,
  ]);
});

Deno.test("toFill: a Coinbase fill's commission is in the quote currency", () => {
  const trade = parsedTrade("coinbase", "BTC/USD", "BTC-USD", {
    entry_id: "22222-2222222-22222222",
    trade_id: "1111-11111-111111",
    order_id: "0000-000000-000000",
    trade_time: "2026-12-03T10:00:00.123Z",
    trade_type: "FILL",
    price: "50000",
    size: "0.001",
    commission: "0.3",
    product_id: "BTC-USD",
    sequence_timestamp: "2026-12-03T10:00:00.123Z",
    liquidity_indicator: "TAKER",
    size_in_quote: false,
    user_id: "3333-333333-3333333",
    side: "BUY",
  });
  const fill = toFill(trade, "cb-1", USD);
  assert.equal(trade.fee?.currency, "USD");
  assert.deepEqual([fill.baseAmount, fill.feeQuote, fill.feeBaseAmount], [0.001, 0.3, 0]);
});

Deno.test("toFill: a Bybit spot buy's fee is in the base coin, valued at the fill price", () => {
  const trade = parsedTrade("bybit", "BTC/USDT", "BTCUSDT", {
    symbol: "BTCUSDT",
    orderId: "1672295482364398336",
    orderLinkId: "inst-mj8k2n40-e1",
    side: "Buy",
    orderPrice: "0",
    orderQty: "0.001",
    orderType: "Market",
    execFee: "0.000001",
    execId: "2100000000007764263",
    execPrice: "50000",
    execQty: "0.001",
    execType: "Trade",
    execValue: "50",
    execTime: "1764756000123",
    isMaker: false,
    feeRate: "0.001",
  });
  const fill = toFill(trade, "inst-mj8k2n40-e1", USDT);
  assert.equal(trade.fee?.currency, "BTC");
  assert.equal(fill.feeBaseAmount, 0.000001);
  assert.ok(Math.abs(fill.feeQuote - 0.05) < 1e-12, String(fill.feeQuote));
});

Deno.test("toFill: a Binance spot buy's commission in the base asset counts in both fields", () => {
  const trade = parsedTrade("binance", "BTC/USDT", "BTCUSDT", {
    symbol: "BTCUSDT",
    id: 28457,
    orderId: 100234,
    price: "50000.00",
    qty: "0.00100000",
    quoteQty: "50.00",
    commission: "0.00000100",
    commissionAsset: "BTC",
    time: 1764756000123,
    isBuyer: true,
    isMaker: false,
    isBestMatch: true,
  });
  const fill = toFill(trade, "inst-mj8k2n40-e1", USDT);
  assert.equal(fill.feeBaseAmount, 0.000001);
  assert.ok(Math.abs(fill.feeQuote - 0.05) < 1e-12, String(fill.feeQuote));
});
