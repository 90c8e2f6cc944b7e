/**
 * Generated malformed configs and candle files, fed in-process to the real parsers: whatever the
 * bytes, the answer is a value or a one-line `InputError` naming the file, never a crash.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseCandles } from "../../src/candles/mod.ts";
import { goodCandleCsv } from "../../src/candles/bad_csv_cases.ts";
import { parseInstanceConfig } from "../../src/config/mod.ts";
import { InputError } from "../../src/core/errors.ts";

const CONFIG = await Deno.readTextFile(
  new URL("../../config/strategies/btc-binance-1h.yaml", import.meta.url),
);
const CSV = new TextDecoder().decode(goodCandleCsv(12));
const RUNS = { numRuns: 30, seed: 20_240_710 };

/** One edit of a text: YAML and CSV punctuation, whitespace, stray bytes, dropped or doubled lines. */
function mutation(pieces: string[]) {
  return fc.oneof(
    fc.record({ at: fc.nat(), insert: fc.constantFrom(...pieces) }),
    fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 12 }) }),
    fc.record({ line: fc.nat(), op: fc.constantFrom("drop", "double", "swap", "truncate") }),
  );
}

type Mutation = { at: number; insert: string } | { at: number; remove: number } | {
  line: number;
  op: string;
};

function apply(text: string, edits: Mutation[]): string {
  for (const edit of edits) {
    if ("insert" in edit) {
      const at = edit.at % (text.length + 1);
      text = text.slice(0, at) + edit.insert + text.slice(at);
    } else if ("remove" in edit) {
      const at = edit.at % (text.length + 1);
      text = text.slice(0, at) + text.slice(at + edit.remove);
    } else {
      const lines = text.split("\n");
      const i = edit.line % lines.length;
      if (edit.op === "drop") lines.splice(i, 1);
      if (edit.op === "double") lines.splice(i, 0, lines[i]);
      if (edit.op === "swap" && i + 1 < lines.length) {
        [lines[i], lines[i + 1]] = [lines[i + 1], lines[i]];
      }
      if (edit.op === "truncate") lines[i] = lines[i].slice(0, Math.ceil(lines[i].length / 2));
      text = lines.join("\n");
    }
  }
  return text;
}

/** The promise: a one-line InputError that names the file (and a line that exists, if any). */
function assertOneLineInputError(error: unknown, prefix: string, text: string): void {
  assert.ok(error instanceof InputError, `not an InputError: ${String(error)}`);
  assert.ok(error.message.startsWith(prefix), error.message);
  assert.equal(error.message.includes("\n"), false, error.message);
  assert.doesNotMatch(error.message, /\bat .*:\d+:\d+\)?$|undefined|\[object /, error.message);
  const line = /line (\d+)/.exec(error.message);
  if (line) assert.ok(Number(line[1]) >= 1 && Number(line[1]) <= text.split("\n").length + 1);
}

const YAML_PIECES = [
  ":",
  ": ",
  "-",
  "- ",
  "[",
  "]",
  "{",
  "}",
  "\t",
  '"',
  "'",
  "&a",
  "*a",
  "!!str",
  "#",
  "|",
  ">",
  "%",
  "@",
  "`",
  "\n",
  "  ",
  "0",
  "-1",
  "1e999",
  "null",
  "~",
  "x",
  "<<: *a",
  "\u00ff",
];

Deno.test("parseInstanceConfig answers any mutated config with a value or a one-line ConfigError", () => {
  fc.assert(
    fc.property(fc.array(mutation(YAML_PIECES), { minLength: 1, maxLength: 4 }), (edits) => {
      const text = apply(CONFIG, edits);
      try {
        parseInstanceConfig(text, { path: "c.yaml" });
      } catch (error) {
        assertOneLineInputError(error, 'Cannot load config "c.yaml": ', text);
      }
    }),
    RUNS,
  );
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
      try {
        parseInstanceConfig(text, { path: "c.yaml" });
      } catch (error) {
        assertOneLineInputError(error, 'Cannot load config "c.yaml": ', text);
      }
    }),
    RUNS,
  );
});

const CSV_PIECES = [
  ",",
  ",,",
  ".",
  "-",
  "e",
  "E+",
  "+",
  " ",
  "\r",
  "\r\n",
  "\n",
  "\t",
  "NaN",
  "Infinity",
  "0",
  "-0",
  "9".repeat(25),
  "x",
  '"',
  "\u00a0",
  "\ufeff",
  "1e-400",
];

Deno.test("parseCandles answers any mutated CSV with valid rows or a one-line DataError", () => {
  fc.assert(
    fc.property(
      fc.array(mutation(CSV_PIECES), { minLength: 1, maxLength: 4 }),
      // Stray bytes at the end now and then; mostly they are not UTF-8 and end the story early.
      fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 5 },
        { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4 }), weight: 1 },
      ),
      (edits, tail) => {
        const text = apply(CSV, edits);
        const bytes = tail
          ? new Uint8Array([...new TextEncoder().encode(text), ...tail])
          : new TextEncoder().encode(text);
        try {
          const { rows } = parseCandles(bytes, { file: "x.csv", timeframe: "1h" });
          for (const [t, o, h, l, c, v] of rows) {
            assert.ok(t % 3_600_000 === 0 && l > 0 && l <= Math.min(o, c) && h >= Math.max(o, c));
            assert.ok(v >= 0 && [t, o, h, l, c, v].every(Number.isFinite));
          }
          rows.slice(1).forEach((row, i) => assert.ok(row[0] > rows[i][0], "ascending"));
        } catch (error) {
          assertOneLineInputError(error, 'Cannot import "x.csv": ', text);
        }
      },
    ),
    RUNS,
  );
});
