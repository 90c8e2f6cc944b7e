import assert from "node:assert/strict";
import { InputError } from "../core/errors.ts";
import { permissionFlags, permissionSet } from "./permission_flags.ts";

const TRADE = {
  read: ["./data", "./config"],
  write: ["./data", "./logs"],
  env: true,
  net: ["127.0.0.1"],
};

Deno.test("permissionFlags writes one --allow flag per kind, lists comma-joined", () => {
  assert.deepEqual(permissionFlags(TRADE), [
    "--allow-read=./data,./config",
    "--allow-write=./data,./logs",
    "--allow-net=127.0.0.1",
    "--allow-env",
  ]);
});

Deno.test("permissionFlags replaces the set's network with the given hosts", () => {
  const flags = permissionFlags(TRADE, { net: ["api.binance.com", "fapi.binance.com"] });
  assert.deepEqual(flags.filter((flag) => flag.startsWith("--allow-net")), [
    "--allow-net=api.binance.com,fapi.binance.com",
  ]);
});

Deno.test("permissionFlags with an empty host list allows no network at all", () => {
  const flags = permissionFlags({ ...TRADE, net: true }, { net: [] });
  assert.equal(flags.some((flag) => flag.startsWith("--allow-net")), false);
});

Deno.test("permissionFlags skips false and empty entries", () => {
  assert.deepEqual(permissionFlags({ read: [], write: false, env: true }), ["--allow-env"]);
});

Deno.test("permissionFlags refuses a kind it does not know rather than dropping it", () => {
  assert.throws(() => permissionFlags({ reed: true }), InputError);
});

Deno.test("permissionSet reads a named set and refuses a missing one in one line", () => {
  assert.deepEqual(permissionSet({ permissions: { trade: TRADE } }, "trade"), TRADE);
  assert.throws(
    () => permissionSet({ permissions: {} }, "health"),
    (error: Error) =>
      error instanceof InputError && !error.message.includes("\n") &&
      error.message.includes("permissions.health"),
  );
});
