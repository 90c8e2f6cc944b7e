/**
 * The bad-input catalogue: every case runs the real task as a process on a
 * copy of a seeded DB and must exit 2 with one stderr line naming what is wrong, where, leaving
 * every file byte for byte as it was and creating none.
 */
import assert from "node:assert/strict";
import {
  ALL_CASES,
  CLI_CASES,
  CONFIG_CASES,
  CSV_CASES,
  DB_CASES,
  ENV_CASES,
  RULES_CASES,
  TRADE_CASES,
} from "./cases.ts";
import {
  assertRefused,
  type BadInputCase,
  mapLimited,
  runCase,
  seedDatabase,
} from "./run_bad_input.ts";

const seedDir = await Deno.makeTempDir({ prefix: "bad_input_seed_" });
const seed = `${seedDir}/seed.db`;
await seedDatabase(seed);
let pending = 7;

async function refuseAll(cases: readonly BadInputCase[]): Promise<void> {
  try {
    const results = await mapLimited(cases, 3, (c) => runCase(c, seed));
    cases.forEach((c, i) => assertRefused(c, results[i]));
  } finally {
    if (--pending === 0) await Deno.remove(seedDir, { recursive: true });
  }
}

Deno.test("bad input catalogue holds at least 40 cases over five kinds of input", () => {
  assert.ok(ALL_CASES.length >= 40, `${ALL_CASES.length} cases`);
  const names = ALL_CASES.map((c) => `${c.task} ${c.name}`);
  assert.equal(new Set(names).size, names.length, "case names are unique");
});
Deno.test("bad input: configs are refused with file, line and key", () => refuseAll(CONFIG_CASES));
Deno.test("bad input: rules strategies are refused with file, line, key and column", () =>
  refuseAll(RULES_CASES));
Deno.test("bad input: CLI arguments are refused in one line", () => refuseAll(CLI_CASES));
Deno.test("bad input: CSV files are refused with file, line and column", () =>
  refuseAll(CSV_CASES));
Deno.test("bad input: environment variables and .env are refused by name", () =>
  refuseAll(ENV_CASES));
Deno.test("bad input: DB files that are not ours are refused and left alone", () =>
  refuseAll(DB_CASES));
Deno.test("bad input: the trader refuses bad input before the network or the DB", () =>
  refuseAll(TRADE_CASES));
