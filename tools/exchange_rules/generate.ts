/**
 * Writes `src/exchange/exchange_rules.ts`: each CCXT exchange's timeframes and whether it has a
 * testnet, read from its class offline, so config loading can check them without importing CCXT
 * (which costs a backtest most of its start-up). src/exchange/exchange_rules_test.ts fails when
 * the file no longer matches the installed CCXT.
 *   deno run -A tools/exchange_rules/generate.ts
 */
import ccxt from "ccxt";
import { exchangeFacts } from "../../src/exchange/exchange_facts.ts";

const TARGET = new URL("../../src/exchange/exchange_rules.ts", import.meta.url);

/** The file's text for the installed CCXT. */
export function exchangeRulesSource(): string {
  const rows: string[] = [];
  for (const id of [...ccxt.exchanges].sort()) {
    const facts = exchangeFacts(id);
    if (facts === null) continue;
    const timeframes = facts.timeframes === null
      ? "null"
      : JSON.stringify(facts.timeframes.join(" "));
    rows.push(`  ${JSON.stringify(id)}: [${timeframes}, ${facts.hasSandbox}],`);
  }
  return `/**
 * Each CCXT exchange's timeframes and whether it has a testnet, as its class says offline:
 * what config loading checks, without importing CCXT. Generated from the installed CCXT by
 * \`deno run -A tools/exchange_rules/generate.ts\`; a test fails when it no longer matches.
 */

/** An exchange's offline rules (config/exchange_checks.ts's \`ExchangeRules\`). */
export interface OfflineExchangeRules {
  readonly id: string;
  /** Timeframes CCXT maps for \`fetchOHLCV\`; null when the class lists none. */
  readonly timeframes: readonly string[] | null;
  readonly hasSandbox: boolean;
}

/** id: [timeframes separated by spaces, has a testnet]. */
const RULES: Readonly<Record<string, readonly [string | null, boolean]>> = {
${rows.join("\n")}
};

/** The rules of CCXT exchange \`id\`, or null when \`id\` is not a CCXT exchange (imported candles). */
export function exchangeRules(id: string): OfflineExchangeRules | null {
  const row = Object.hasOwn(RULES, id) ? RULES[id] : undefined;
  if (row === undefined) return null;
  const timeframes = row[0] === null ? null : row[0] === "" ? [] : row[0].split(" ");
  return { id, timeframes, hasSandbox: row[1] };
}

/** Every exchange id in the table. */
export const EXCHANGE_RULE_IDS: readonly string[] = Object.keys(RULES);
`;
}

if (import.meta.main) {
  await Deno.writeTextFile(TARGET, exchangeRulesSource());
  const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", TARGET.pathname] })
    .output();
  if (!fmt.success) throw new Error("deno fmt failed on the generated file");
}
