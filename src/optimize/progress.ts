/** The optimisation's progress line: bar, counts, rate, ETA and the best so far. */
import { progressBar } from "../backfill/progress_line.ts";
import { formatDuration } from "../core/format_time.ts";

const CLEAR_LINE = "\r\x1b[2K";

/** Redraws one line in place on a terminal; writes nothing otherwise. */
export class OptimizeProgress {
  readonly #write: (text: string) => void;
  readonly #nowMs: () => number;
  readonly #total: number;
  readonly #columns: number;
  #done = 0;
  #startedMs: number;
  #lastDrawMs = -Infinity;

  constructor(
    write: (text: string) => void,
    options: { total: number; nowMs: () => number; columns?: number },
  ) {
    this.#write = write;
    this.#nowMs = options.nowMs;
    this.#total = options.total;
    this.#columns = options.columns ?? 100;
    this.#startedMs = options.nowMs();
  }

  /** One more combination done, in `stage`, with the stage's best so far as text. */
  advance(stage: string, best: string): void {
    this.#done++;
    const now = this.#nowMs();
    if (now - this.#lastDrawMs < 100 && this.#done < this.#total) return;
    this.#lastDrawMs = now;
    this.#write(CLEAR_LINE + this.line(stage, best, now).slice(0, this.#columns));
  }

  /** The line for the current counts. */
  line(stage: string, best: string, nowMs: number): string {
    const seconds = (nowMs - this.#startedMs) / 1000;
    const rate = seconds > 0 ? this.#done / seconds : 0;
    const left = Math.max(0, this.#total - this.#done);
    const eta = rate > 0 ? formatDuration((left / rate) * 1000) : "?";
    const pct = Math.min(100, Math.floor((this.#done * 100) / Math.max(1, this.#total)));
    return `${progressBar(this.#done, this.#total, 20)} ${this.#done}/${this.#total} (${pct}%) ` +
      `${rate.toFixed(1)}/s ETA ${eta} · ${stage} · best ${best}`;
  }

  /** Clears the line. */
  finish(): void {
    this.#write(CLEAR_LINE);
  }
}
