import assert from "node:assert/strict";
import ccxt from "ccxt";
import { exchangeFacts } from "./exchange_facts.ts";
import { EXCHANGE_RULE_IDS, exchangeRules } from "./exchange_rules.ts";

Deno.test("the offline exchange rules table says what every CCXT class says (regenerate it on a CCXT upgrade)", () => {
  for (const id of ccxt.exchanges) {
    const facts = exchangeFacts(id);
    const expected = facts === null
      ? null
      : { id, timeframes: facts.timeframes, hasSandbox: facts.hasSandbox };
    assert.deepEqual(
      exchangeRules(id),
      expected,
      `${id}: run deno run -A tools/exchange_rules/generate.ts`,
    );
  }
  assert.deepEqual(
    EXCHANGE_RULE_IDS.filter((id) => !ccxt.exchanges.includes(id)),
    [],
    "ids CCXT no longer has",
  );
  assert.equal(exchangeRules("my-imported-candles"), null);
  assert.equal(exchangeRules("toString"), null);
});
