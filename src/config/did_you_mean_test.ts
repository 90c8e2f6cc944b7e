import assert from "node:assert/strict";
import fc from "fast-check";
import { closestMatch, levenshtein } from "./did_you_mean.ts";

Deno.test("levenshtein counts edits", () => {
  assert.equal(levenshtein("", "abc"), 3);
  assert.equal(levenshtein("kitten", "sitting"), 3);
  assert.equal(levenshtein("stop_los_pct", "stop_loss_pct"), 1);
});

Deno.test("levenshtein is a metric on random strings", () => {
  fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
    assert.equal(levenshtein(a, a), 0);
    assert.equal(levenshtein(a, b), levenshtein(b, a));
    assert.ok(levenshtein(a, c) <= levenshtein(a, b) + levenshtein(b, c));
    assert.ok(levenshtein(a, b) <= Math.max(a.length, b.length));
  }));
});

Deno.test("closestMatch suggests only close candidates", () => {
  const keys = ["stop_loss_pct", "take_profit_pct", "stake_pct"];
  assert.equal(closestMatch("stop_los_pct", keys), "stop_loss_pct");
  assert.equal(closestMatch("STAKE_PCT", keys), "stake_pct");
  assert.equal(closestMatch("balance", keys), undefined);
});
