/**
 * Order-book depth of the emulator: how much one matching event (a market order, a triggered
 * stop, a marketable limit, a candle crossing a resting limit) can take, level by level.
 */

/** Liquidity of a symbol: `levels` price levels of `levelBaseAmount` each, `tickPct` apart. */
export interface BookDepth {
  readonly levelBaseAmount: number;
  readonly levels: number;
  /** Price distance between levels, in percent of the first level's price (default 0.01). */
  readonly tickPct?: number;
}

/** One execution of a matching event. */
export interface DepthSlice {
  readonly qty: number;
  readonly price: number;
}

/** Where a matching event starts and how far it may go. */
export interface DepthWalk {
  readonly side: "BUY" | "SELL";
  /** Price of the first level. */
  readonly price: number;
  /** A limit order never trades beyond its price; null for market orders. */
  readonly limitPrice: number | null;
  /** The symbol's tick size: level prices are rounded to it. */
  readonly tickSize: number;
}

/**
 * Splits `qty` over the levels of `depth`, each one tick worse for the taker (higher for a buy,
 * lower for a sell), stopping at a limit price; what the levels cannot take is left out. Without
 * depth the whole `qty` trades at `walk.price` in one slice.
 */
export function walkDepth(qty: number, walk: DepthWalk, depth: BookDepth | null): DepthSlice[] {
  if (depth === null) return [{ qty, price: walk.price }];
  const slices: DepthSlice[] = [];
  const sign = walk.side === "BUY" ? 1 : -1;
  const tick = (depth.tickPct ?? 0.01) / 100;
  let left = qty;
  for (let level = 0; level < depth.levels && left > qty * 1e-9; level++) {
    const price = level === 0
      ? walk.price
      : roundTo(walk.price * (1 + sign * tick * level), walk.tickSize);
    if (walk.limitPrice !== null && sign * (price - walk.limitPrice) > 0) break;
    const take = Math.min(left, depth.levelBaseAmount);
    slices.push({ qty: take, price });
    left = Number((left - take).toFixed(12)); // 0.00312 − 0.003 is 0.00012, not 0.000119…98
  }
  return slices;
}

function roundTo(value: number, step: number): number {
  if (!(step > 0)) return value;
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)));
  return Number((Math.round(value / step) * step).toFixed(decimals));
}
