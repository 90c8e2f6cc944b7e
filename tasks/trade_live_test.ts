/**
 * `tasks/trade.ts` in live mode as real processes against the loopback emulator, on the wall
 * clock (live refuses test clocks): 1m candles generated around now, so each run waits at most
 * about two minutes for its first order. Four traders run at once, each with its own account:
 * three SIGKILL themselves at one point of the order path and are restarted; one only suffers the
 * shared faults (a lost create-order response, -1021 clock skew, 5xx and 429 storms). No key or
 * secret may show in their output, logs, DB or WAL.
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import {
  spawnTrader,
  type TraderProcess,
  waitFor,
  withStore,
  writeConfig,
} from "../tests/support/trader_process.ts";
import type { FailpointName } from "../src/trader/mod.ts";
import { LIVE_CONFIG_BODY, zigzagCsv } from "../tools/soak/mod.ts";
import { scanForSecrets } from "../tests/support/secret_scan.ts";

interface Instance {
  readonly name: string;
  readonly config: string;
  readonly env: Record<string, string>;
  process: TraderProcess;
}

Deno.test("trade task live mode: kill -9 in the order path, lost responses and fault storms never duplicate an order", async () => {
  const dir = await Deno.makeTempDir({ prefix: "trade_live_test_" });
  await Deno.mkdir(`${dir}/data`);
  await Deno.writeTextFile(`${dir}/data/binance_BTC-USDT_1m.csv`, zigzagCsv(Date.now()));
  const emulator = new BinanceEmulator({
    startMs: Date.now(),
    speed: 1,
    dataDir: new URL(`file://${dir}/data/`),
    commissionIn: "quote",
  });
  const url = `sqlite:${dir}/trading.db`;
  const instances: Instance[] = [];
  // Every process spawned, killed ones included, for the secret scan of what it printed.
  const spawned: { name: string; process: TraderProcess }[] = [];
  const tag = crypto.randomUUID().slice(0, 8);
  const secrets: string[] = [];
  let passed = false;
  try {
    const killedAt: FailpointName[] = [
      "order.after_insert",
      "order.after_send",
      "order.after_response",
    ];
    const points = [...killedAt, null];
    for (const [i, point] of points.entries()) {
      const name = point === null ? "live-faults" : `live-kill-${i}`;
      const [key, secret] = [`FAKEKEY-${tag}-${i}`, `FAKESECRET-${tag}-${i}`];
      emulator.addAccount(key, secret, { USDT: 10_000 });
      secrets.push(key, secret);
      const env: Record<string, string> = {
        DATABASE_URL: url,
        LOG_DIR: `${dir}/logs`,
        BINANCE_API_URL: emulator.url,
        BINANCE_API_KEY: key,
        BINANCE_API_SECRET: secret,
      };
      const config = await writeConfig(dir, name, LIVE_CONFIG_BODY);
      const process = spawnTrader(
        config,
        point === null ? env : { ...env, TRADER_FAILPOINT: point },
      );
      instances.push({ name, config, env, process });
      spawned.push({ name, process });
    }
    emulator.addFault({ kind: "clock_skew", method: "POST", path: "/api/v3/order", times: 1 });
    emulator.addFault({ kind: "lose_response", method: "POST", path: "/api/v3/order", times: 1 });
    emulator.addFault({
      kind: "http_error",
      status: 503,
      method: "GET",
      path: "/api/v3/klines",
      times: 3,
    });
    emulator.addFault({ kind: "rate_limit", method: "GET", path: "/api/v3/order", times: 2 });
    // The three failpoint traders die at their first order; restart each without the failpoint.
    for (const instance of instances.slice(0, 3)) {
      const status = await instance.process.status;
      assert.equal(status.signal, "SIGKILL", `${instance.name}: ${await instance.process.stderr}`);
      instance.process = spawnTrader(instance.config, instance.env);
      spawned.push(instance);
    }
    for (const { name } of instances) {
      await waitFor(`${name} reconciled with an order behind it`, () =>
        withStore(url, (s) => {
          const orders = s.orders.recent(name, 100);
          return orders.length > 0 && orders.every((o) => o.status !== "submitting") &&
            s.instances.get(name)?.status === "running";
        }), 200_000);
    }
    // The WAL goes with the last connection: scan it (and the DB) while the traders still run.
    const db = `${dir}/trading.db`;
    const running = await scanForSecrets(secrets, { paths: [db, `${db}-wal`] });
    assert.deepEqual(running.hits, []);
    assert.ok(running.files.includes(`${db}-wal`), "the WAL was scanned");
    for (const { process } of instances) process.child.kill("SIGTERM");
    for (const { name, process } of instances) {
      assert.equal((await process.status).code, 0, `${name}: ${await process.stderr}`);
    }
    assertOneOrderPerIntent(emulator, url, instances.map((i) => i.name));
    await assertNoSecretLeft(dir, spawned, secrets);
    passed = true;
  } finally {
    for (const { process } of instances) {
      try {
        process.child.kill("SIGKILL");
      } catch { /* already exited */ }
      await process.status;
    }
    await emulator.close();
    // Keep the logs and DB of a failed run for diagnosis.
    if (passed) await Deno.remove(dir, { recursive: true });
  }
});

/** Nothing the traders printed, logged or stored holds a key or a secret. */
async function assertNoSecretLeft(
  dir: string,
  spawned: readonly { name: string; process: TraderProcess }[],
  secrets: readonly string[],
) {
  const texts: Record<string, string> = {};
  for (const [i, { name, process }] of spawned.entries()) {
    texts[`stdout of ${name} #${i}`] = await process.stdout;
    texts[`stderr of ${name} #${i}`] = await process.stderr;
  }
  const scan = await scanForSecrets(secrets, { texts, paths: [dir] });
  assert.deepEqual(scan.hits, []);
  for (const { name } of spawned) {
    assert.ok(scan.files.includes(`${dir}/logs/${name}.jsonl`), `${name}'s log was scanned`);
  }
}

function assertOneOrderPerIntent(emulator: BinanceEmulator, url: string, names: string[]) {
  const atExchange = emulator.orders();
  const requests = emulator.requests().filter((r) =>
    r.method === "POST" && r.path === "/api/v3/order"
  );
  assert.ok(requests.length >= 4);
  for (const request of requests) {
    assert.ok(request.signed && request.hasApiKey, "order requests are signed");
    assert.match(
      request.params.newClientOrderId,
      /^live-(kill-\d|faults)-[0-9a-z]+-[exstrn][0-9a-z]+$/,
    );
  }
  const lost = requests.find((r) => r.fault === "lose_response");
  assert.ok(lost, "the lost-response fault was used");
  assert.equal(
    atExchange.filter((o) => o.clientOrderId === lost.params.newClientOrderId).length,
    1,
  );
  for (const name of names) {
    const rows = withStore(url, (s) => s.orders.recent(name, 1000));
    const mine = atExchange.filter((o) => o.clientOrderId.startsWith(`${name}-`));
    const ids = mine.map((o) => o.clientOrderId);
    assert.equal(new Set(ids).size, ids.length, `${name}: an intent reached the exchange twice`);
    for (const order of mine) {
      const row = rows.find((r) => r.clientOrderId === order.clientOrderId);
      assert.ok(row, `${name}: exchange order ${order.clientOrderId} unknown to the DB`);
      assert.equal(row.status, order.status === "FILLED" ? "filled" : order.status.toLowerCase());
      assert.equal(row.filledBaseAmount, order.executedQty);
    }
    for (const row of rows) {
      if (!ids.includes(row.clientOrderId)) {
        assert.equal(row.status, "failed", `${name}: ${row.clientOrderId}`);
      }
    }
  }
  // Killed after the row and before the send: failed, never sent; the others: sent exactly once.
  const first = (name: string) => withStore(url, (s) => s.orders.recent(name, 1000).at(-1)!);
  assert.equal(first("live-kill-0").status, "failed");
  assert.equal(first("live-kill-1").status, "filled");
  assert.equal(first("live-kill-2").status, "filled");
}
