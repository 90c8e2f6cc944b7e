import assert from "node:assert/strict";
import fc from "fast-check";
import { floorToStep } from "../core/amounts.ts";
import type { RiskContext } from "../core/ports.ts";
import type { OrderIntent, Position } from "../core/types.ts";
import { resolveMarketRules } from "./market_rules.ts";
import { ConfigRiskPolicy, type RiskSettings } from "./risk_policy.ts";

const SETTINGS: RiskSettings = {
  stakePct: 100,
  stakeAmountQuote: null,
  stopLossPct: null,
  takeProfitPct: null,
  trailingStopPct: null,
  maxDrawdownPct: null,
  dailyLossLimitPct: null,
  maxOpenPositions: 1,
  feeRate: 0.001,
  amountStep: 0.01,
  minAmount: 0,
  minNotional: 0,
};

const ENTER: OrderIntent = { kind: "enter", reason: "test" };
const POSITION: Position = {
  symbol: "BTC/USDT",
  baseAmount: 2.5,
  entryPrice: 100,
  entryTimeMs: 0,
  entryFeeQuote: 0.25,
  stopLossPrice: null,
  takeProfitPrice: null,
  highestPrice: 100,
};

function policy(settings: Partial<RiskSettings> = {}): ConfigRiskPolicy {
  return new ConfigRiskPolicy({ ...SETTINGS, ...settings });
}

function context(fields: Partial<RiskContext> = {}): RiskContext {
  return {
    intent: ENTER,
    price: 100,
    balances: { quoteFree: 1000, quoteTotal: 1000, baseFree: 0, baseTotal: 0 },
    position: null,
    equityQuote: 1000,
    peakEquityQuote: 1000,
    dayStartEquityQuote: 1000,
    openPositions: 0,
    ...fields,
  };
}

Deno.test("risk policy stakes 100 % as floor_to_step(balance / (price × (1 + fee)))", () => {
  const decision = policy().review(context());
  // 1000 / (100 × 1.001) = 9.99000999… → 9.99 at step 0.01
  assert.deepEqual(decision, {
    verdict: "accept",
    baseAmount: 9.99,
    quoteAmount: 1000,
    reason: "stake 100% of 1000 free quote",
  });
  const coarse = policy({ amountStep: 0.5 }).review(context());
  assert.equal(coarse.verdict === "accept" && coarse.baseAmount, 9.5);
});

Deno.test("risk policy stakes a share of the free quote", () => {
  const decision = policy({ stakePct: 50, feeRate: 0 }).review(context());
  assert.equal(decision.verdict, "accept");
  assert.equal(decision.quoteAmount, 500);
  assert.equal(decision.verdict === "accept" && decision.baseAmount, 5);
});

Deno.test("risk policy resizes a fixed stake larger than the free quote", () => {
  const fits = policy({ stakePct: null, stakeAmountQuote: 200, feeRate: 0 }).review(context());
  assert.deepEqual([fits.verdict, fits.quoteAmount], ["accept", 200]);
  const resized = policy({ stakePct: null, stakeAmountQuote: 5000, feeRate: 0 }).review(context());
  assert.deepEqual([resized.verdict, resized.quoteAmount], ["resize", 1000]);
  assert.match(resized.reason, /resized/);
});

Deno.test("risk policy rejects entries below the exchange minimum amount or notional", () => {
  const amount = policy({ minAmount: 10 }).review(context());
  assert.deepEqual(amount, {
    verdict: "reject",
    reason: "amount 9.99 below the exchange minimum 10",
  });
  const notional = policy({ minNotional: 1000 }).review(context());
  assert.deepEqual(notional, {
    verdict: "reject",
    reason: "notional 999 below the exchange minimum 1000",
  });
  const dust = policy({ amountStep: 100 }).review(context());
  assert.equal(dust.verdict, "reject");
});

Deno.test("risk policy halts entries at the max drawdown but still allows exits", () => {
  const p = policy({ maxDrawdownPct: 25 });
  const down = { equityQuote: 750, peakEquityQuote: 1000 };
  const entry = p.review(context(down));
  assert.equal(entry.verdict, "reject");
  assert.match(entry.reason, /^max drawdown halt: equity 25% below peak/);
  assert.equal(p.review(context({ equityQuote: 751, peakEquityQuote: 1000 })).verdict, "accept");
  const exit = p.review(
    context({ ...down, intent: { kind: "exit", reason: "x" }, position: POSITION }),
  );
  assert.deepEqual(exit, { verdict: "accept", baseAmount: 2.5, reason: "exit the whole position" });
});

Deno.test("risk policy stops entries for the day after the daily loss limit", () => {
  const p = policy({ dailyLossLimitPct: 5 });
  const decision = p.review(
    context({ equityQuote: 950, dayStartEquityQuote: 1000, peakEquityQuote: 1100 }),
  );
  assert.deepEqual(decision, {
    verdict: "reject",
    reason: "daily loss limit: down 5% today (limit 5%)",
  });
  assert.equal(
    p.review(context({ equityQuote: 951, dayStartEquityQuote: 1000 })).verdict,
    "accept",
  );
});

Deno.test("risk policy enforces max open positions and needs a position to exit", () => {
  assert.deepEqual(policy().review(context({ openPositions: 1 })), {
    verdict: "reject",
    reason: "max open positions (1) reached",
  });
  assert.equal(
    policy({ maxOpenPositions: 2 }).review(context({ openPositions: 1 })).verdict,
    "accept",
  );
  assert.deepEqual(policy().review(context({ intent: { kind: "exit", reason: "x" } })), {
    verdict: "reject",
    reason: "no position to exit",
  });
});

Deno.test("risk policy sets protective levels from the entry price; intent levels win", () => {
  const p = policy({ stopLossPct: 2, takeProfitPct: 4, trailingStopPct: 3 });
  assert.deepEqual(p.protection(100, ENTER), {
    stopLossPrice: 98,
    takeProfitPrice: 104,
    trailingStopPct: 3,
  });
  const own = p.protection(100, {
    kind: "enter",
    reason: "x",
    stopLossPrice: 90,
    takeProfitPrice: 130,
  });
  assert.deepEqual(own, { stopLossPrice: 90, takeProfitPrice: 130, trailingStopPct: 3 });
  assert.deepEqual(policy().protection(100, null), {
    stopLossPrice: null,
    takeProfitPrice: null,
    trailingStopPct: null,
  });
});

Deno.test("risk policy stake always fits the balance with the fee at the decision price", () => {
  fc.assert(fc.property(
    fc.double({ min: 1, max: 1e6, noNaN: true }),
    fc.double({ min: 0.5, max: 1e5, noNaN: true }),
    fc.constantFrom(1e-8, 1e-5, 0.001, 0.1, 1),
    fc.constantFrom(0, 0.001, 0.002, 0.0075),
    (quote, price, step, fee) => {
      const decision = policy({ amountStep: step, feeRate: fee }).review(
        context({
          price,
          balances: { quoteFree: quote, quoteTotal: quote, baseFree: 0, baseTotal: 0 },
        }),
      );
      if (decision.verdict === "reject") {
        return floorToStep(quote / (price * (1 + fee)), step) === 0;
      }
      const cost = decision.baseAmount * price * (1 + fee);
      const onGrid = floorToStep(decision.baseAmount, step) === decision.baseAmount;
      return cost <= quote * (1 + 1e-12) && onGrid &&
        (decision.baseAmount + step) * price * (1 + fee) > quote;
    },
  ));
});

Deno.test("market rules take the config first, then market data, then the defaults", () => {
  const market = { takerFee: 0.00075, amountStep: 0.0001, minAmount: 0.0001, minNotional: 5 };
  assert.deepEqual(resolveMarketRules({ fee_pct: 0.2, amount_step: 1e-8 }, market), {
    feeRate: 0.002,
    amountStep: 1e-8,
    minAmount: 0.0001,
    minNotional: 5,
  });
  assert.deepEqual(
    resolveMarketRules({ fee_pct: null, amount_step: null }, market).feeRate,
    0.00075,
  );
  assert.deepEqual(resolveMarketRules({ fee_pct: null, amount_step: null }, null), {
    feeRate: 0.001,
    amountStep: 1e-8,
    minAmount: 0,
    minNotional: 0,
  });
});

Deno.test("floor to step rounds down to the nearest multiple without float noise", () => {
  assert.equal(floorToStep(0.3, 0.1), 0.3);
  assert.equal(floorToStep(9.99000999, 0.01), 9.99);
  assert.equal(floorToStep(0.123456789, 1e-8), 0.12345678);
  assert.equal(floorToStep(7.9, 2), 6);
  assert.equal(floorToStep(-1, 0.1), 0);
});
