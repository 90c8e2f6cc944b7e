import assert from "node:assert/strict";
import fc from "fast-check";
import {
  CLIENT_ID_RULES,
  clientIdRule,
  clientOrderIdScheme,
  compactClientOrderId,
  isValidClientOrderId,
} from "./client_order_id.ts";
import { clientIdPrefix, defaultClientOrderId } from "./_engine_order_factory.ts";
import type { ClientOrderIdParts } from "./engine_types.ts";

const PURPOSES = ["enter", "exit", "stop_loss", "take_profit", "trailing_stop", "end"] as const;

Deno.test("isValidClientOrderId follows Binance's rule: at most 36 of [.A-Z:/a-z0-9_-]", () => {
  assert.equal(isValidClientOrderId("binance", "btc-1h.1722470400000:enter/1_x"), true);
  assert.equal(isValidClientOrderId("binance", "a".repeat(36)), true);
  assert.equal(isValidClientOrderId("binance", "a".repeat(37)), false);
  assert.equal(isValidClientOrderId("binance", "has space"), false);
  assert.equal(isValidClientOrderId("binance", ""), false);
  assert.equal(isValidClientOrderId("binanceus", "a:b"), true, "Binance's family shares it");
});

Deno.test("isValidClientOrderId follows Bybit's, Coinbase's and Kraken's rules", () => {
  assert.equal(isValidClientOrderId("bybit", "a".repeat(36)), true);
  assert.equal(isValidClientOrderId("bybit", "a".repeat(37)), false);
  assert.equal(isValidClientOrderId("bybit", "a.b"), false, "orderLinkId: no dots");
  assert.equal(isValidClientOrderId("coinbase", "4d760580-6fca-4094-a70b-ebcca8626288"), true);
  assert.equal(isValidClientOrderId("kraken", "a".repeat(18)), true);
  assert.equal(isValidClientOrderId("kraken", "a".repeat(19)), false, "cl_ord_id free text ≤ 18");
  assert.equal(clientIdRule("kraken").field, "cl_ord_id");
  assert.equal(clientIdRule("okx").maxLength, 32, "a conservative default elsewhere");
});

Deno.test("compactClientOrderId is short, stable and tells instances, candles and orders apart", () => {
  const parts: ClientOrderIdParts = {
    prefix: "rules-btc-kraken",
    candleTimeMs: Date.UTC(2026, 11, 3, 10),
    purpose: "enter",
    seq: 1,
  };
  const id = compactClientOrderId(parts);
  assert.match(id, /^[0-9a-z]{4}-[0-9a-z]{5}-e1$/);
  assert.equal(id.length, 13);
  assert.equal(compactClientOrderId({ ...parts }), id, "a pure function of its parts");
  assert.notEqual(compactClientOrderId({ ...parts, prefix: "sol-kraken-4h" }), id);
  assert.notEqual(
    compactClientOrderId({ ...parts, candleTimeMs: parts.candleTimeMs + 60_000 }),
    id,
  );
  assert.notEqual(compactClientOrderId({ ...parts, purpose: "exit" }), id);
  assert.notEqual(compactClientOrderId({ ...parts, seq: 2 }), id);
});

Deno.test("each seed exchange's id scheme makes ids its rule accepts, distinct per order", () => {
  const arbitraryParts = fc.record({
    prefix: fc.stringMatching(/^[a-z0-9-]{1,64}$/).map(clientIdPrefix),
    // Candle times from 2017 to 2080, minute-aligned.
    candleTimeMs: fc.integer({ min: 24_800_000, max: 58_000_000 }).map((m) => m * 60_000),
    purpose: fc.constantFrom(...PURPOSES),
    seq: fc.integer({ min: 1, max: 36 ** 4 - 1 }),
  });
  for (const exchange of Object.keys(CLIENT_ID_RULES)) {
    const scheme = clientOrderIdScheme(exchange);
    fc.assert(
      fc.property(arbitraryParts, (parts) => isValidClientOrderId(exchange, scheme(parts))),
      { numRuns: 500 },
    );
  }
  assert.equal(clientOrderIdScheme("binance"), defaultClientOrderId);
  assert.equal(clientOrderIdScheme("bybit"), defaultClientOrderId);
  assert.equal(clientOrderIdScheme("coinbase"), defaultClientOrderId);
  assert.equal(clientOrderIdScheme("kraken"), compactClientOrderId);
  // One instance's orders over a year of hourly candles never share an id.
  const ids = new Set<string>();
  let seq = 0;
  for (let hour = 0; hour < 24 * 365; hour++) {
    const candleTimeMs = Date.UTC(2026, 0, 1) + hour * 3_600_000;
    for (const purpose of ["enter", "stop_loss", "exit"] as const) {
      ids.add(compactClientOrderId({ prefix: "sol-kraken-4h", candleTimeMs, purpose, seq: ++seq }));
    }
  }
  assert.equal(ids.size, seq);
});
