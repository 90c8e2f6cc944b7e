/**
 * The equity a backtest marks at each candle's close, kept as segments: from candle `start` until
 * the next segment, equity is `quote + base × close` with the balances booked then. Balances change
 * only at fills, so a run has one segment per fill, and the curve is written in one pass over the
 * closes when asked (`fill`) instead of slot by slot while the engine runs: the array can then be
 * made after the run, from memory the run's garbage collections freed.
 */
export class EquityMarks {
  /** `[start, quote, base]` of each segment, one after another (grown by doubling). */
  #segments = new Float64Array(3 * 64);
  #count = 0;
  /** The next candle to mark (candles are marked in order, each once). */
  #marked = 0;
  /** Slots `fill` has written, and the segment of the next one. */
  #filled = 0;
  #segment = 0;

  /** Candles marked so far. */
  get marked(): number {
    return this.#marked;
  }

  /**
   * Marks candles `[from, to)` with the balances `quote` and `base` (their equity at each close
   * is `quote + base × close`); `from` is the next unmarked candle.
   */
  mark(from: number, to: number, quote: number, base: number): void {
    if (from !== this.#marked || !(to > from)) {
      throw new Error(`equity marks: candles [${from}, ${to}) after ${this.#marked} marked`);
    }
    this.#marked = to;
    let segments = this.#segments;
    const at = 3 * this.#count;
    if (at > 0 && same(segments[at - 2], quote) && same(segments[at - 1], base)) return;
    if (at === segments.length) {
      segments = new Float64Array(2 * at);
      segments.set(this.#segments);
      this.#segments = segments;
    }
    segments[at] = from;
    segments[at + 1] = quote;
    segments[at + 2] = base;
    this.#count++;
  }

  /** Writes the equity of the marked candles up to `to` (exclusive) into `out`, after the last `fill`. */
  fill(close: Float64Array, out: Float64Array, to: number): void {
    const end = Math.min(to, this.#marked);
    const segments = this.#segments;
    const count = this.#count;
    let s = this.#segment;
    let i = this.#filled;
    while (i < end) {
      const last = s + 1 === count;
      const next = last ? end : segments[3 * (s + 1)];
      i = fillSegment(out, close, i, Math.min(next, end), segments[3 * s + 1], segments[3 * s + 2]);
      if (!last && i === next) s++;
    }
    this.#filled = Math.max(this.#filled, end);
    this.#segment = s;
  }
}

/**
 * Writes `quote + base × close` for candles `[from, until)`; returns `until` (or `from`). A small
 * function called once per segment, so that V8 optimises it whole after a few calls: with the
 * loop in `fill` itself, `--trace-deopt` showed its stack-replaced code leaving for the
 * interpreter once per backtest.
 */
function fillSegment(
  out: Float64Array,
  close: Float64Array,
  from: number,
  until: number,
  quote: number,
  base: number,
): number {
  if (!(until > from)) return from;
  if (base === 0 && quote !== 0) {
    // Out of the market: one value throughout (`quote + 0 × close`, closes being finite).
    out.fill(quote, from, until);
  } else {
    for (let i = from; i < until; i++) out[i] = quote + base * close[i];
  }
  return until;
}

/** Same bits, same equity: `===`, except that 0 and -0 differ (NaN starts a segment again). */
function same(a: number, b: number): boolean {
  return a === b && (a !== 0 || 1 / a === 1 / b);
}
