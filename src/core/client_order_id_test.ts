import assert from "node:assert/strict";
import { isValidClientOrderId } from "./client_order_id.ts";

Deno.test("isValidClientOrderId follows Binance's rule: at most 36 of [.A-Z:/a-z0-9_-]", () => {
  assert.equal(isValidClientOrderId("binance", "btc-1h.1722470400000:enter/1_x"), true);
  assert.equal(isValidClientOrderId("binance", "a".repeat(36)), true);
  assert.equal(isValidClientOrderId("binance", "a".repeat(37)), false);
  assert.equal(isValidClientOrderId("binance", "has space"), false);
  assert.equal(isValidClientOrderId("binance", ""), false);
  assert.equal(isValidClientOrderId("kraken", "a.b"), false, "stricter default elsewhere");
});
