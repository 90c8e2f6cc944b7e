/**
 * The JSON report's equity, formatted in a second thread while the run is still writing it. The
 * equity of a million candles is 64 MB of text, and forming it took about as long as the run; a
 * backtest uses one core, so the other forms the text as the run goes (the run tells it how far
 * the equity is final through shared memory) into a temporary file beside the report. Once the
 * run is over, the caller writes the report up to its equity into the report file, and the
 * worker appends the formatted equity and the end while the caller writes the HTML report. The
 * file is byte for byte `reportJsonPieces`'s text.
 */
import { type BacktestReport, equitySeries } from "./report_json.ts";
import { dirname } from "../core/file_paths.ts";
import type { ColumnPrefault } from "../storage/candle_repo.ts";

/** Fewer points are formatted in the caller's thread: a worker's start would cost more. */
export const THREAD_MIN_POINTS = 100_000;

/** Slots of the shared state: how many equity slots are final (the run sets it). */
const FINAL = 0;

/**
 * The share of a candle load's rows whose new memory the worker touches first (the last ones):
 * the reader also copies while it faults, and the worker may still be starting.
 */
const PREFAULT_FROM = 0.5;

/** States of a prefault, in one shared slot. */
export const PREFAULT_IDLE = 0;
export const PREFAULT_TOUCHING = 1;
export const PREFAULT_DONE = 2;
export const PREFAULT_CANCELLED = 3;

/** Sent when the candle columns are made, before they are filled. */
export interface EquityJsonPrefault {
  readonly kind: "prefault";
  readonly columns: readonly Float64Array[];
  readonly fromRow: number;
  readonly state: Int32Array;
}

/** What the worker is sent once the candles are read. */
export interface EquityJsonStart {
  readonly kind: "start";
  readonly timesMs: Float64Array;
  readonly equity: Float64Array;
  readonly state: Int32Array;
  readonly tempPath: string;
}

/** Sent once the report file holds everything before the equity. */
export interface EquityJsonAppend {
  readonly kind: "append";
  readonly path: string;
}

/** The worker's answer: done, or why not. */
export type EquityJsonReply = { readonly ok: true } | {
  readonly ok: false;
  readonly error: string;
};

/**
 * A worker started before the candles are read (its start overlaps the read), given the run's
 * equity once they are, and asked at the end to finish the report file.
 */
export class EquityJsonThread {
  readonly #worker: Worker;
  readonly #jsonPath: string;
  readonly #tempPath: string;
  readonly #reply: Promise<EquityJsonReply>;
  #state: Int32Array | null = null;
  #equity: Float64Array | null = null;
  #closed = false;

  private constructor(jsonPath: string) {
    this.#jsonPath = jsonPath;
    this.#tempPath = `${jsonPath}.equity-${Deno.pid}.tmp`;
    this.#worker = new Worker(new URL("./_equity_json_worker.ts", import.meta.url), {
      type: "module",
    });
    this.#reply = new Promise((resolve) => {
      this.#worker.onmessage = (event: MessageEvent<EquityJsonReply>) => resolve(event.data);
      this.#worker.onerror = (event) => {
        event.preventDefault();
        resolve({ ok: false, error: event.message });
      };
    });
    // Not awaited until `finish`: an early failure must not be an unhandled rejection.
    this.#reply.catch(() => {});
  }

  /**
   * A thread for the JSON report at `jsonPath` (its folder made if missing), or null where it
   * does not pay or cannot be used: one core, a report path that is not a regular file (a
   * device, a link: written through by the usual writer) or a folder that cannot be made.
   */
  static spawn(jsonPath: string): EquityJsonThread | null {
    if ((navigator.hardwareConcurrency ?? 1) < 2) return null;
    try {
      const stat = Deno.lstatSync(jsonPath);
      if (!stat.isFile) return null;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return null;
      try {
        // The report writer makes the folder too (the default one is new on a fresh clone).
        Deno.mkdirSync(dirname(jsonPath), { recursive: true });
      } catch {
        return null;
      }
    }
    return new EquityJsonThread(jsonPath);
  }

  /**
   * The equity column for a run over `timesMs` (shared memory, one slot per candle), which the
   * worker formats as `progress` says it is final; null (and the worker stopped) when the run
   * is too short for a thread to pay or the times are not in shared memory.
   */
  begin(timesMs: Float64Array): Float64Array | null {
    const n = timesMs.length;
    if (n < THREAD_MIN_POINTS || !(timesMs.buffer instanceof SharedArrayBuffer)) {
      this.abort();
      return null;
    }
    const state = new Int32Array(new SharedArrayBuffer(4));
    const equity = new Float64Array(new SharedArrayBuffer(n * 8));
    const start: EquityJsonStart = {
      kind: "start",
      timesMs,
      equity,
      state,
      tempPath: this.#tempPath,
    };
    this.#worker.postMessage(start);
    this.#state = state;
    this.#equity = equity;
    return equity;
  }

  /**
   * For the candle load (`LoadColumnsOptions.prefault`): the worker touches the new memory of
   * the last rows of each column while the reader fills the first ones. The reader waits for it
   * only if it gets there first and the worker has begun; a worker not yet started is told not
   * to, and the reader touches them itself.
   */
  readonly prefault = (columns: readonly Float64Array[], rows: number): ColumnPrefault | null => {
    if (rows < THREAD_MIN_POINTS || this.#closed) return null;
    const fromRow = Math.floor(rows * PREFAULT_FROM);
    const state = new Int32Array(new SharedArrayBuffer(4));
    const message: EquityJsonPrefault = { kind: "prefault", columns, fromRow, state };
    this.#worker.postMessage(message);
    return {
      fromRow,
      wait: () => {
        if (
          Atomics.compareExchange(state, 0, PREFAULT_IDLE, PREFAULT_CANCELLED) === PREFAULT_IDLE
        ) {
          return;
        }
        while (Atomics.load(state, 0) !== PREFAULT_DONE) {
          Atomics.wait(state, 0, PREFAULT_TOUCHING, 1_000);
        }
      },
    };
  };

  /** The run's progress: the first `final` equity slots hold their final values. */
  readonly progress = (final: number): void => {
    const state = this.#state!;
    Atomics.store(state, FINAL, final);
    Atomics.notify(state, FINAL);
  };

  /**
   * Once the report file holds everything before the equity (`reportHeadPieces`): the worker
   * appends the equity and the end. Resolves when the file is complete; the temporary file is
   * gone either way.
   */
  async finish(report: BacktestReport): Promise<void> {
    if (this.#equity === null || equitySeries(report).values !== this.#equity) {
      throw new Error("the report's equity is not the one this thread formats");
    }
    const append: EquityJsonAppend = { kind: "append", path: this.#jsonPath };
    this.#worker.postMessage(append);
    try {
      const reply = await this.#reply;
      if (!reply.ok) throw new Error(reply.error);
    } finally {
      this.abort();
    }
  }

  /** Stops the worker and removes its temporary file (after a failure, or when done). */
  abort(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker.terminate();
    try {
      Deno.removeSync(this.#tempPath);
    } catch {
      // Not there (the worker removed it, or never made it).
    }
  }

  [Symbol.dispose](): void {
    this.abort();
  }
}
