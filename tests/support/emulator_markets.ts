/** Spot symbols the emulator lists, with Binance's real filters, and the exchangeInfo document. */

/** One spot symbol and its trading rules. */
export interface SymbolSpec {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly maxQty: string;
  readonly minNotional: string;
  /** Binance replaced MIN_NOTIONAL with NOTIONAL in 2023; both still appear in the wild. */
  readonly notionalFilter: "NOTIONAL" | "MIN_NOTIONAL";
  /** Price used when no candle data covers the market clock. */
  readonly fallbackPrice: number;
}

/** Symbols served; BTCUSDT and ETHUSDT have bundled candles. */
export const DEFAULT_SYMBOLS: readonly SymbolSpec[] = [
  spec("BTC", "USDT", "0.01", "0.00001", "0.00001", "9000", "5", "NOTIONAL", 60000),
  spec("ETH", "USDT", "0.01", "0.0001", "0.0001", "9000", "5", "NOTIONAL", 3000),
  spec("BNB", "USDT", "0.01", "0.001", "0.001", "9000", "5", "NOTIONAL", 500),
  spec("SOL", "USDT", "0.01", "0.001", "0.001", "9000", "5", "MIN_NOTIONAL", 150),
  spec("ETH", "BTC", "0.00001", "0.0001", "0.0001", "100000", "0.0001", "NOTIONAL", 0.05),
  spec("BTC", "USDC", "0.01", "0.00001", "0.00001", "9000", "5", "NOTIONAL", 60000),
];

/** A symbol's spec from its rules, as strings the way exchanges list them. */
export function spec(
  baseAsset: string,
  quoteAsset: string,
  tickSize: string,
  stepSize: string,
  minQty: string,
  maxQty: string,
  minNotional: string,
  notionalFilter: SymbolSpec["notionalFilter"],
  fallbackPrice: number,
): SymbolSpec {
  const symbol = baseAsset + quoteAsset;
  return {
    symbol,
    baseAsset,
    quoteAsset,
    tickSize,
    stepSize,
    minQty,
    maxQty,
    minNotional,
    notionalFilter,
    fallbackPrice,
  };
}

/** Binance's fixed 8-decimal string form. */
export function fmt8(value: number): string {
  return value.toFixed(8);
}

function notionalFilter(s: SymbolSpec): Record<string, unknown> {
  if (s.notionalFilter === "MIN_NOTIONAL") {
    return {
      filterType: "MIN_NOTIONAL",
      minNotional: fmt8(Number(s.minNotional)),
      applyToMarket: true,
      avgPriceMins: 5,
    };
  }
  return {
    filterType: "NOTIONAL",
    minNotional: fmt8(Number(s.minNotional)),
    applyMinToMarket: true,
    maxNotional: "9000000.00000000",
    applyMaxToMarket: false,
    avgPriceMins: 5,
  };
}

function symbolInfo(s: SymbolSpec): Record<string, unknown> {
  return {
    symbol: s.symbol,
    status: "TRADING",
    baseAsset: s.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: s.quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: [
      "LIMIT",
      "LIMIT_MAKER",
      "MARKET",
      "STOP_LOSS",
      "STOP_LOSS_LIMIT",
      "TAKE_PROFIT",
      "TAKE_PROFIT_LIMIT",
    ],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      {
        filterType: "PRICE_FILTER",
        minPrice: fmt8(Number(s.tickSize)),
        maxPrice: "1000000.00000000",
        tickSize: fmt8(Number(s.tickSize)),
      },
      {
        filterType: "LOT_SIZE",
        minQty: fmt8(Number(s.minQty)),
        maxQty: fmt8(Number(s.maxQty)),
        stepSize: fmt8(Number(s.stepSize)),
      },
      { filterType: "ICEBERG_PARTS", limit: 10 },
      {
        filterType: "MARKET_LOT_SIZE",
        minQty: "0.00000000",
        maxQty: fmt8(Number(s.maxQty)),
        stepSize: "0.00000000",
      },
      {
        filterType: "TRAILING_DELTA",
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      notionalFilter(s),
      { filterType: "MAX_NUM_ORDERS", maxNumOrders: 200 },
      { filterType: "MAX_NUM_ALGO_ORDERS", maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [["SPOT"]],
    defaultSelfTradePreventionMode: "EXPIRE_MAKER",
    allowedSelfTradePreventionModes: ["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"],
  };
}

/** The `/api/v3/exchangeInfo` document. */
export function exchangeInfo(
  symbols: readonly SymbolSpec[],
  serverTimeMs: number,
  weightLimit: number,
): Record<string, unknown> {
  return {
    timezone: "UTC",
    serverTime: serverTimeMs,
    rateLimits: [
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: weightLimit },
      { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 100 },
      { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: 200000 },
      { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: symbols.map(symbolInfo),
  };
}

/** True when `value` is a whole multiple of `step` (within float noise). */
function onStep(value: number, step: number): boolean {
  const n = value / step;
  return Math.abs(n - Math.round(n)) < 1e-6;
}

/** The filter an order violates, as Binance's -1013 message, or null. */
export function filterFailure(
  s: SymbolSpec,
  order: { quantity: number; price: number | null; notionalPrice: number },
): string | null {
  const { quantity, price } = order;
  if (
    quantity < Number(s.minQty) || quantity > Number(s.maxQty) ||
    !onStep(quantity, Number(s.stepSize))
  ) {
    return "Filter failure: LOT_SIZE";
  }
  if (price !== null && (price < Number(s.tickSize) || !onStep(price, Number(s.tickSize)))) {
    return "Filter failure: PRICE_FILTER";
  }
  if (quantity * order.notionalPrice < Number(s.minNotional)) {
    return `Filter failure: ${s.notionalFilter}`;
  }
  return null;
}
