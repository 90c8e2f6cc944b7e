/** Follows a growing JSON-lines log file, keeping its last lines. The hook's file adapter. */

const INITIAL_TAIL_BYTES = 64 * 1024;
const MAX_READ_BYTES = 1024 * 1024;

/** Keeps the last `maxLines` complete lines of a file that is appended to. */
export class LogTail {
  readonly path: string;
  #maxLines: number;
  #offset = -1;
  #partial = "";
  #lines: string[] = [];
  #decoder = new TextDecoder();

  constructor(path: string, options: { maxLines?: number } = {}) {
    this.path = path;
    this.#maxLines = options.maxLines ?? 50;
  }

  /** Reads what was appended since the last call; returns the lines, or null if unchanged. */
  poll(): readonly string[] | null {
    let size: number;
    try {
      size = Deno.statSync(this.path).size;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      return this.#reset(0) ? this.#lines : null;
    }
    // A shorter file was truncated or rotated: start again from its tail.
    if (size < this.#offset) this.#reset(-1);
    const from = this.#offset < 0 ? Math.max(0, size - INITIAL_TAIL_BYTES) : this.#offset;
    if (size === from) return null;
    const start = Math.max(from, size - MAX_READ_BYTES);
    const text = this.#read(start, size - start);
    // Starting anywhere but a line boundary we know, the first fragment is not a whole line.
    const midLine = start > from || (this.#offset < 0 && start > 0);
    if (start > from) this.#partial = "";
    this.#offset = size;
    this.#append(text, midLine);
    return this.#lines;
  }

  #read(start: number, length: number): string {
    const file = Deno.openSync(this.path, { read: true });
    try {
      file.seekSync(start, Deno.SeekMode.Start);
      const buffer = new Uint8Array(length);
      let read = 0;
      while (read < length) {
        const n = file.readSync(buffer.subarray(read));
        if (n === null) break;
        read += n;
      }
      return this.#decoder.decode(buffer.subarray(0, read));
    } finally {
      file.close();
    }
  }

  #append(text: string, dropFirst: boolean): void {
    const parts = (this.#partial + text).split("\n");
    this.#partial = parts.pop() ?? "";
    // Reading from the middle of a file starts mid-line; that fragment is dropped.
    if (dropFirst) parts.shift();
    const complete = parts.filter((line) => line.trim() !== "");
    this.#lines = [...this.#lines, ...complete].slice(-this.#maxLines);
  }

  #reset(offset: number): boolean {
    const changed = this.#lines.length > 0 || this.#partial !== "";
    this.#offset = offset;
    this.#partial = "";
    this.#lines = [];
    return changed;
  }
}
