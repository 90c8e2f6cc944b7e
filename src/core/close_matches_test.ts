import assert from "node:assert/strict";
import fc from "fast-check";
import { closeMatches, editDistance } from "./close_matches.ts";

Deno.test("editDistance counts edits", () => {
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("stop_los_pct", "stop_loss_pct"), 1);
  assert.equal(editDistance("BTC", "btc"), 3);
});

Deno.test("editDistance is a metric on random strings", () => {
  fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
    assert.equal(editDistance(a, a), 0);
    assert.equal(editDistance(a, b), editDistance(b, a));
    assert.ok(editDistance(a, c) <= editDistance(a, b) + editDistance(b, c));
    assert.ok(editDistance(a, b) <= Math.max(a.length, b.length));
  }));
});

Deno.test("closeMatches lists close candidates nearest first, ignoring case", () => {
  const symbols = ["BTC/USDT", "BTC/USDC", "ETH/USDT", "BTC/EUR"];
  assert.deepEqual(closeMatches("btc/usdt", symbols), ["BTC/USDT", "BTC/USDC", "ETH/USDT"]);
  assert.deepEqual(closeMatches("BTC/USDX", symbols, { limit: 2 }), ["BTC/USDC", "BTC/USDT"]);
  assert.deepEqual(closeMatches("DOGE/JPY", symbols), []);
  assert.deepEqual(closeMatches("BTC/EUR", symbols, { maxDistance: 0 }), ["BTC/EUR"]);
});
