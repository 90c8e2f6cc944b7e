import assert from "node:assert/strict";
import { format, inspect } from "node:util";
import { Secret } from "./secret.ts";

const VALUE = "sk-live-0123456789";

Deno.test("Secret never shows its value when printed, serialised or inspected", () => {
  const secret = new Secret(VALUE);
  const wrapped = { apiKey: secret, nested: [secret] };
  const renderings = [
    String(secret),
    `${secret}`,
    "key=" + secret,
    JSON.stringify(wrapped),
    Deno.inspect(secret),
    Deno.inspect(wrapped, { depth: 10, showHidden: true }),
    inspect(wrapped, { depth: 10, showHidden: true }),
    format("%s %o %O %j", secret, secret, wrapped, wrapped),
  ];
  for (const text of renderings) {
    assert.ok(!text.includes(VALUE), `leaked: ${text}`);
    assert.ok(text.includes("***"), `no mask: ${text}`);
  }
  assert.deepEqual(Object.keys(secret), []);
});

Deno.test("Secret reveals its value only when asked", () => {
  assert.equal(new Secret(VALUE).reveal(), VALUE);
});
