/** Hand-written single-function loops: the speed ceiling the streaming indicators are held to. */

/** Column arrays of a synthetic market. */
export interface BenchSeries {
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** SMA with a running sum; returns a checksum so the work cannot be optimised away. */
export function loopSma(s: BenchSeries, period: number): number {
  const x = s.close;
  let sum = 0, check = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i];
    if (i >= period) sum -= x[i - period];
    if (i >= period - 1) check += sum / period;
  }
  return check;
}

/** SMA-seeded EMA. */
export function loopEma(s: BenchSeries, period: number): number {
  const x = s.close, alpha = 2 / (period + 1);
  let ema = 0, check = 0;
  for (let i = 0; i < x.length; i++) {
    if (i < period) {
      ema += x[i] / period;
      if (i === period - 1) check += ema;
    } else {
      ema += (x[i] - ema) * alpha;
      check += ema;
    }
  }
  return check;
}

/** Wilder RSI. */
export function loopRsi(s: BenchSeries, period: number): number {
  const x = s.close;
  let gain = 0, loss = 0, check = 0;
  for (let i = 1; i < x.length; i++) {
    const change = x[i] - x[i - 1];
    const up = change > 0 ? change : 0, down = change < 0 ? -change : 0;
    if (i <= period) {
      gain += up / period;
      loss += down / period;
      if (i < period) continue;
    } else {
      gain = (gain * (period - 1) + up) / period;
      loss = (loss * (period - 1) + down) / period;
    }
    check += loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
  }
  return check;
}

/** MACD 12/26/9: three SMA-seeded EMAs in one pass; sums the histogram. */
export function loopMacd(s: BenchSeries): number {
  const x = s.close, a12 = 2 / 13, a26 = 2 / 27, a9 = 2 / 10;
  let fast = 0, slow = 0, signal = 0, check = 0;
  for (let i = 0; i < x.length; i++) {
    if (i < 12) fast += x[i] / 12;
    else fast += (x[i] - fast) * a12;
    if (i < 26) {
      slow += x[i] / 26;
      if (i < 25) continue;
    } else slow += (x[i] - slow) * a26;
    const line = fast - slow;
    if (i < 25 + 9) {
      signal += line / 9;
      if (i < 25 + 8) continue;
    } else signal += (line - signal) * a9;
    check += line - signal;
  }
  return check;
}

/** Bollinger Bands with running sums of values and squares. */
export function loopBollinger(s: BenchSeries, period: number): number {
  const x = s.close;
  let sum = 0, squares = 0, check = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i];
    squares += x[i] * x[i];
    if (i >= period) {
      sum -= x[i - period];
      squares -= x[i - period] * x[i - period];
    }
    if (i < period - 1) continue;
    const mean = sum / period;
    const deviation = Math.sqrt(Math.max(squares / period - mean * mean, 0));
    check += mean + 2 * deviation - (mean - 2 * deviation);
  }
  return check;
}

/** Wilder ATR. */
export function loopAtr(s: BenchSeries, period: number): number {
  const { high, low, close } = s;
  let atr = 0, check = 0;
  for (let i = 1; i < close.length; i++) {
    const range = Math.max(
      high[i] - low[i],
      Math.abs(high[i] - close[i - 1]),
      Math.abs(low[i] - close[i - 1]),
    );
    if (i <= period) {
      atr += range / period;
      if (i < period) continue;
    } else atr += (range - atr) / period;
    check += atr;
  }
  return check;
}

/** Highest high and lowest low by scanning each window (Donchian and Stochastic's core). */
function scanChannel(
  s: BenchSeries,
  period: number,
  emit: (i: number, hh: number, ll: number) => number,
) {
  const { high, low } = s;
  let check = 0;
  for (let i = period - 1; i < high.length; i++) {
    let hh = high[i], ll = low[i];
    for (let j = i - period + 1; j < i; j++) {
      if (high[j] > hh) hh = high[j];
      if (low[j] < ll) ll = low[j];
    }
    check += emit(i, hh, ll);
  }
  return check;
}

/** Donchian channel by window scan. */
export function loopDonchian(s: BenchSeries, period: number): number {
  return scanChannel(s, period, (_, hh, ll) => (hh + ll) / 2);
}

/** Stochastic %K by window scan. */
export function loopStochastic(s: BenchSeries, period: number): number {
  const close = s.close;
  return scanChannel(s, period, (i, hh, ll) => (hh > ll ? (100 * (close[i] - ll)) / (hh - ll) : 0));
}

/** Rolling VWAP with running sums. */
export function loopVwap(s: BenchSeries, period: number): number {
  const { high, low, close, volume } = s;
  const priceVolume = new Float64Array(close.length);
  let pv = 0, v = 0, check = 0;
  for (let i = 0; i < close.length; i++) {
    priceVolume[i] = ((high[i] + low[i] + close[i]) / 3) * volume[i];
    pv += priceVolume[i];
    v += volume[i];
    if (i >= period) {
      pv -= priceVolume[i - period];
      v -= volume[i - period];
    }
    if (i >= period - 1) check += pv / v;
  }
  return check;
}
