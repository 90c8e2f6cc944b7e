/**
 * The equity a backtest marks at each candle's close, kept as segments: from candle `start` until
 * the next segment, equity is `quote + base × close` with the balances booked then. Balances change
 * only at fills, so a run has one segment per fill, and the curve is written in one pass over the
 * closes when asked (`fill`) instead of slot by slot while the engine runs: the array can then be
 * made after the run, from memory the run's garbage collections freed.
 */
export class EquityMarks {
  readonly #starts: number[] = [];
  readonly #quotes: number[] = [];
  readonly #bases: number[] = [];
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
    const last = this.#starts.length - 1;
    if (last >= 0 && same(this.#quotes[last], quote) && same(this.#bases[last], base)) return;
    this.#starts.push(from);
    this.#quotes.push(quote);
    this.#bases.push(base);
  }

  /** Writes the equity of the marked candles up to `to` (exclusive) into `out`, after the last `fill`. */
  fill(close: Float64Array, out: Float64Array, to: number): void {
    const end = Math.min(to, this.#marked);
    const starts = this.#starts;
    let s = this.#segment;
    let i = this.#filled;
    while (i < end) {
      const until = Math.min(s + 1 < starts.length ? starts[s + 1] : end, end);
      const quote = this.#quotes[s];
      const base = this.#bases[s];
      for (; i < until; i++) out[i] = quote + base * close[i];
      if (i === until && s + 1 < starts.length && starts[s + 1] === i) s++;
    }
    this.#filled = Math.max(this.#filled, end);
    this.#segment = s;
  }
}

/** Same bits, same equity: `===`, except that 0 and -0 differ (NaN starts a segment again). */
function same(a: number, b: number): boolean {
  return a === b && (a !== 0 || 1 / a === 1 / b);
}
