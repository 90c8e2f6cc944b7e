/**
 * Backtest metrics with backtesting.py's definitions (its `compute_stats`), annualised over 365
 * days with a risk-free rate of 0. Undefined values are `null`, never NaN. Drawdowns are
 * negative percentages, as in backtesting.py; trade returns are `pnlPct` (fees included).
 */
import type { ClosedTrade } from "../core/types.ts";
import { drawdownStats, geometricMean, returnStats, sampleVariance } from "./equity_stats.ts";

/** Every metric of the JSON report, in its order. */
export interface Metrics {
  startMs: number | null;
  endMs: number | null;
  exposurePct: number | null;
  equityFinal: number | null;
  equityPeak: number | null;
  feesPaid: number | null;
  returnPct: number | null;
  buyHoldReturnPct: number | null;
  returnAnnPct: number | null;
  volatilityAnnPct: number | null;
  cagrPct: number | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  maxDrawdownPct: number | null;
  avgDrawdownPct: number | null;
  maxDrawdownDurationMs: number | null;
  avgDrawdownDurationMs: number | null;
  trades: number;
  winRatePct: number | null;
  bestTradePct: number | null;
  worstTradePct: number | null;
  avgTradePct: number | null;
  maxTradeDurationMs: number | null;
  avgTradeDurationMs: number | null;
  profitFactor: number | null;
  expectancyPct: number | null;
  sqn: number | null;
  kelly: number | null;
}

/** What the metrics are computed from. */
export interface MetricsInput {
  /** Candle open times, ascending; one equity value per candle. */
  readonly timesMs: ArrayLike<number>;
  /** Equity marked at each candle's close (the last one after the final exit). */
  readonly equity: ArrayLike<number>;
  readonly closes: ArrayLike<number>;
  readonly trades: readonly ClosedTrade[];
  /** Candles the strategy needs first; buy & hold starts there, as in backtesting.py. */
  readonly warmupCandles: number;
}

const YEAR_DAYS = 365;
const DAY_MS = 86_400_000;

/** Computes every metric; `null` wherever backtesting.py would give NaN or infinity. */
export function computeMetrics(input: MetricsInput): Metrics {
  const { timesMs, equity, closes, trades } = input;
  const n = equity.length;
  const first = equity[0];
  const last = equity[n - 1];
  let peak = -Infinity;
  for (let i = 0; i < n; i++) if (equity[i] > peak) peak = equity[i];
  const dd = drawdownStats(timesMs, equity);
  const rs = returnStats(timesMs, equity, YEAR_DAYS);
  const w = Math.min(Math.max(0, input.warmupCandles), n - 1);
  const years = (timesMs[n - 1] - timesMs[0]) / DAY_MS / YEAR_DAYS;
  const volatilityPct = rs.annualVolatility * 100;
  return {
    startMs: n > 0 ? timesMs[0] : null,
    endMs: n > 0 ? timesMs[n - 1] : null,
    exposurePct: n > 0 ? exposurePct(timesMs, trades) : null,
    equityFinal: num(last),
    equityPeak: n > 0 ? peak : null,
    feesPaid: trades.reduce((sum, t) => sum + t.fees, 0),
    returnPct: num(((last - first) / first) * 100),
    buyHoldReturnPct: num(((closes[n - 1] - closes[w]) / closes[w]) * 100),
    returnAnnPct: num(rs.annualReturn * 100),
    volatilityAnnPct: num(volatilityPct),
    cagrPct: years > 0 ? num(((last / first) ** (1 / years) - 1) * 100) : null,
    sharpe: volatilityPct ? num((rs.annualReturn * 100) / volatilityPct) : null,
    sortino: num(rs.annualReturn / rs.downsideDeviation),
    calmar: dd.maxDrawdown ? num(rs.annualReturn / dd.maxDrawdown) : null,
    maxDrawdownPct: n > 0 ? num(-dd.maxDrawdown * 100) : null,
    avgDrawdownPct: num(-dd.avgDrawdown * 100),
    maxDrawdownDurationMs: num(dd.maxDurationMs),
    avgDrawdownDurationMs: num(dd.avgDurationMs),
    ...tradeMetrics(trades),
  };
}

/** The per-trade half of the metrics. */
export function tradeMetrics(trades: readonly ClosedTrade[]): Pick<
  Metrics,
  | "trades"
  | "winRatePct"
  | "bestTradePct"
  | "worstTradePct"
  | "avgTradePct"
  | "maxTradeDurationMs"
  | "avgTradeDurationMs"
  | "profitFactor"
  | "expectancyPct"
  | "sqn"
  | "kelly"
> {
  const n = trades.length;
  // One pass, summing in trade order as the separate sums over filtered lists did.
  const returns: number[] = new Array(n);
  const pnl: number[] = new Array(n);
  let winCount = 0;
  let winSum = 0;
  let lossCount = 0;
  let lossSum = 0;
  let gains = 0;
  let negativeSum = 0;
  let returnSum = 0;
  let pnlSum = 0;
  let durationSum = 0;
  let longest = Number.NaN;
  let best = Number.NaN;
  let worst = Number.NaN;
  for (let i = 0; i < n; i++) {
    const trade = trades[i];
    const r = trade.pnlPct / 100;
    const p = trade.pnl;
    const durationMs = trade.exitTimeMs - trade.entryTimeMs;
    returns[i] = r;
    pnl[i] = p;
    if (p > 0) {
      winCount++;
      winSum += p;
    } else if (p < 0) {
      lossCount++;
      lossSum += p;
    }
    if (r > 0) gains += r;
    else if (r < 0) negativeSum += r;
    returnSum += r;
    pnlSum += p;
    durationSum += durationMs;
    if (!(durationMs <= longest)) longest = durationMs;
    if (!(r <= best)) best = r;
    if (!(-r <= -worst)) worst = r;
  }
  const winRate = n === 0 ? Number.NaN : winCount / n;
  const pains = Math.abs(negativeSum);
  const std = Math.sqrt(sampleVariance(pnl));
  const meanWin = winCount === 0 ? Number.NaN : winSum / winCount;
  const meanLoss = lossCount === 0 ? Number.NaN : lossSum / lossCount;
  return {
    trades: n,
    winRatePct: num(winRate * 100),
    bestTradePct: num(best * 100),
    worstTradePct: num(worst * 100),
    avgTradePct: num(geometricMean(returns) * 100),
    maxTradeDurationMs: num(longest),
    avgTradeDurationMs: num(durationSum / n),
    profitFactor: pains ? num(gains / pains) : null,
    expectancyPct: num((returnSum / n) * 100),
    sqn: std ? num((Math.sqrt(n) * pnlSum) / n / std) : null,
    kelly: num(winRate - (1 - winRate) / (meanWin / -meanLoss)),
  };
}

/** Share of candles with a position open, entry bar through exit bar inclusive. */
function exposurePct(timesMs: ArrayLike<number>, trades: readonly ClosedTrade[]): number {
  const n = timesMs.length;
  let held = 0;
  let covered = -1;
  for (const trade of trades) {
    const from = Math.max(lowerBound(timesMs, trade.entryTimeMs), covered + 1);
    const to = Math.min(lowerBound(timesMs, trade.exitTimeMs), n - 1);
    if (to >= from) held += to - from + 1;
    covered = Math.max(covered, to);
  }
  return (held / n) * 100;
}

function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A finite number (with -0 as 0), else null. */
function num(value: number): number | null {
  return Number.isFinite(value) ? value + 0 : null;
}
