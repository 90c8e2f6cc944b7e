/**
 * The bad-input catalogue: configs (rules strategies among them), CLI arguments, CSVs, environment
 * variables and DB files.
 */
import { CONFIG_CASES } from "./config_cases.ts";
import { CLI_CASES, TRADE_CASES } from "./cli_cases.ts";
import { CSV_CASES, DB_CASES, ENV_CASES } from "./file_cases.ts";
import { RULES_CASES } from "./rules_cases.ts";
import type { BadInputCase } from "./run_bad_input.ts";

export { CLI_CASES, CONFIG_CASES, CSV_CASES, DB_CASES, ENV_CASES, RULES_CASES, TRADE_CASES };

/** Every case. */
export const ALL_CASES: BadInputCase[] = [
  ...CONFIG_CASES,
  ...RULES_CASES,
  ...CLI_CASES,
  ...CSV_CASES,
  ...ENV_CASES,
  ...DB_CASES,
  ...TRADE_CASES,
];
