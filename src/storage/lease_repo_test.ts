import assert from "node:assert/strict";
import { openStore } from "./mod.ts";
import { testDatabaseUrl } from "../../tests/support/test_database.ts";

const A = { name: "btc", host: "h1", pid: 11, token: "a", lockPath: "/x/a.lock", ttlMs: 3000 };
const B = { name: "btc", host: "h2", pid: 22, token: "b", lockPath: "/y/b.lock", ttlMs: 3000 };

Deno.test("LeaseRepo refuses a fresh lease, hands over an expired one and only its holder renews", () => {
  const url = testDatabaseUrl("sqlite::memory:");
  const store = openStore(url);
  try {
    const leases = store.leases;
    assert.deepEqual(leases.acquire({ ...A, nowMs: 1000 }), { acquired: true, previous: null });
    const refused = leases.acquire({ ...B, nowMs: 2000 });
    assert.equal(refused.acquired, false);
    assert.deepEqual(
      !refused.acquired && [refused.holder.host, refused.holder.pid, refused.holder.expiresMs],
      ["h1", 11, 4000],
    );
    assert.equal(leases.renew("btc", "a", 3500, 3000), true);
    assert.equal(leases.acquire({ ...B, nowMs: 6000 }).acquired, false);
    // A stops renewing (killed); at its expiry B takes over, and A can no longer renew.
    const taken = leases.acquire({ ...B, nowMs: 6500 });
    assert.equal(taken.acquired && taken.previous?.pid, 11);
    assert.equal(leases.renew("btc", "a", 6600, 3000), false);
    leases.release("btc", "a");
    assert.equal(leases.get("btc")?.pid, 22);
    // A holder known dead (its lock file is free on this host) is replaced before its expiry.
    const dead = leases.acquire({ ...A, token: "c", nowMs: 7000, holderDead: () => true });
    assert.equal(dead.acquired, true);
    leases.release("btc", "c");
    assert.equal(leases.get("btc"), null);
  } finally {
    store.close();
  }
});
