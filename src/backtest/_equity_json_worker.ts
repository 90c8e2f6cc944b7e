/**
 * The worker of `EquityJsonThread`: formats the run's equity into a temporary file as the run
 * marks it final, then appends that text and the report's end to the report file.
 */
/// <reference lib="deno.worker" />
import { EquityJsonFormatter } from "./report_json.ts";
import {
  type EquityJsonAppend,
  type EquityJsonPrefault,
  type EquityJsonReply,
  type EquityJsonStart,
  PREFAULT_DONE,
  PREFAULT_IDLE,
  PREFAULT_TOUCHING,
} from "./equity_json_thread.ts";

/** Longest wait for the run between two looks at its progress, ms (it notifies each step). */
const WAIT_MS = 1_000;
const COPY_BYTES = 1 << 20;

let formatter: EquityJsonFormatter | null = null;
let tempPath = "";
let failure: string | null = null;

function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += file.writeSync(bytes.subarray(done));
}

/** Float64 slots per 4 KiB page. */
const PAGE_SLOTS = 512;

/**
 * Writes a zero (what new memory holds) into every page of the columns' rows from `fromRow`,
 * unless the reader took them back first; the reader writes none of them before `DONE`.
 */
function prefault(message: EquityJsonPrefault): void {
  const { state, columns, fromRow } = message;
  if (Atomics.compareExchange(state, 0, PREFAULT_IDLE, PREFAULT_TOUCHING) !== PREFAULT_IDLE) {
    return;
  }
  try {
    for (const column of columns) {
      for (let i = fromRow; i < column.length; i += PAGE_SLOTS) column[i] = 0;
    }
  } finally {
    Atomics.store(state, 0, PREFAULT_DONE);
    Atomics.notify(state, 0);
  }
}

/** Formats every point into the temporary file, as fast as the run makes them final. */
function formatAll(start: EquityJsonStart): void {
  const n = start.equity.length;
  formatter = new EquityJsonFormatter({ length: n, timesMs: start.timesMs, values: start.equity });
  tempPath = start.tempPath;
  using file = Deno.openSync(tempPath, { write: true, create: true, truncate: true });
  while (formatter.done < n) {
    const final = Atomics.load(start.state, 0);
    if (final > formatter.done) {
      for (const piece of formatter.pieces(final)) writeAll(file, piece);
    } else {
      Atomics.wait(start.state, 0, final, WAIT_MS);
    }
  }
}

/** Appends the formatted equity and the end to the report file, then removes the temporary. */
function append(message: EquityJsonAppend): void {
  if (formatter === null) throw new Error("no equity was formatted");
  {
    using source = Deno.openSync(tempPath, { read: true });
    using target = Deno.openSync(message.path, { append: true });
    const buffer = new Uint8Array(COPY_BYTES);
    for (let read = source.readSync(buffer); read !== null; read = source.readSync(buffer)) {
      writeAll(target, buffer.subarray(0, read));
    }
    writeAll(target, formatter.end());
  }
  Deno.removeSync(tempPath);
}

self.onmessage = (
  event: MessageEvent<EquityJsonPrefault | EquityJsonStart | EquityJsonAppend>,
) => {
  const message = event.data;
  if (message.kind === "prefault") {
    prefault(message);
    return;
  }
  try {
    if (failure !== null) throw new Error(failure);
    if (message.kind === "start") {
      formatAll(message);
      return;
    }
    append(message);
    self.postMessage({ ok: true } satisfies EquityJsonReply);
  } catch (error) {
    failure ??= error instanceof Error ? error.message : String(error);
    // Told now, not at the append: the caller reads the reply when it finishes.
    self.postMessage({ ok: false, error: failure } satisfies EquityJsonReply);
  }
};
