/** Fee rate, amount step and exchange minimums: from the config, else cached market data. */

/** Default fee when neither the config nor market data gives one: 0.1 % of notional. */
export const DEFAULT_FEE_RATE = 0.001;
/** Default amount step when neither the config nor market data gives one. */
export const DEFAULT_AMOUNT_STEP = 1e-8;

/** The market facts sizing and fills need. */
export interface MarketRules {
  /** Fee as a fraction of notional (0.001 = 0.1 %). */
  readonly feeRate: number;
  readonly amountStep: number;
  readonly minAmount: number;
  readonly minNotional: number;
}

/** Cached market data as `MarketRepo` stores it (CCXT's units: fees are fractions). */
export interface MarketFacts {
  readonly takerFee: number | null;
  readonly amountStep: number | null;
  readonly minAmount: number | null;
  readonly minNotional: number | null;
}

/** Resolves rules: config values win, then market data, then the defaults. */
export function resolveMarketRules(
  execution: { readonly fee_pct: number | null; readonly amount_step: number | null },
  market: MarketFacts | null,
): MarketRules {
  return {
    feeRate: execution.fee_pct !== null
      ? execution.fee_pct / 100
      : market?.takerFee ?? DEFAULT_FEE_RATE,
    amountStep: execution.amount_step ?? market?.amountStep ?? DEFAULT_AMOUNT_STEP,
    minAmount: market?.minAmount ?? 0,
    minNotional: market?.minNotional ?? 0,
  };
}
