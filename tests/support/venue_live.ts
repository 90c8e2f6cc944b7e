/**
 * `tasks/trade.ts` in live mode as real processes against a venue emulator, on the wall clock:
 * 1m candles on which SMA 2/3 enters once the traders are up (`triggerEntry`). Three traders,
 * each on its own account: two SIGKILL themselves once the order is sent (before and after its
 * answer is recorded) and are restarted; one meets the faults the test adds (rate-limit storms, a
 * lost create response…). Afterwards no intent reached the exchange twice and each instance's
 * books equal its account. A kill before the send is the same on every exchange (the order is
 * never sent) and waits out the 15 s reconcile window, so it is left to `tasks/trade_live_test.ts`.
 */
import assert from "node:assert/strict";
import { envPrefix } from "../../src/config/env.ts";
import type { FailpointName } from "../../src/trader/mod.ts";
import { LIVE_CONFIG_BODY } from "../../tools/soak/mod.ts";
import { assertBooksMatchExchange } from "../reliability/books_vs_exchange.ts";
import type { FaultSpec } from "./emulator_faults.ts";
import type { RequestRecord } from "./emulator_control.ts";
import {
  spawnTrader,
  type TraderProcess,
  waitFor,
  withStore,
  writeConfig,
} from "./trader_process.ts";
import type { VenueEmulator } from "./venue_emulator.ts";
import { scanForSecrets } from "./secret_scan.ts";

const MINUTE_MS = 60_000;

/** The venue under test. */
export interface LiveVenue {
  readonly exchange: string;
  /** Unified symbol, e.g. `BTC/USDT`, and the emulator's book symbol, e.g. `BTCUSDT`. */
  readonly symbol: string;
  readonly bookSymbol: string;
  readonly base: string;
  readonly quote: string;
  /** Starting balances of each account. */
  readonly balances: Record<string, number>;
  /** Method and path of the create-order endpoint, and the request field with our client id. */
  readonly createMethod: string;
  readonly createPath: string;
  readonly clientIdField: string;
  /** Longest client id the exchange accepts. */
  readonly maxClientIdLength: number;
  /** Faults added once the traders run. */
  readonly faults: readonly FaultSpec[];
  /** Makes an account with `balances` (default: a key and secret made up here). */
  readonly newAccount?: (balances: Record<string, number>) => Promise<Keys>;
}

/** An account's API key and secret. */
export interface Keys {
  readonly apiKey: string;
  readonly secret: string;
}

/**
 * The data dir of a live run: `binance_<BASE>-<QUOTE>_1m.csv` with 1m candles from 4 hours before
 * to an hour after now, drifting down by 0.5 a minute from 60,000, so SMA 2 stays under SMA 3
 * (no entry) until `triggerEntry` lifts the open candle.
 */
export async function liveData(base: string, quote: string) {
  const dir = await Deno.makeTempDir({ prefix: "venue_live_test_" });
  await Deno.mkdir(`${dir}/data`);
  const nowMs = Date.now();
  const first = Math.floor(nowMs / MINUTE_MS) - 240;
  const lines = ["timestamp,open,high,low,close,volume"];
  for (let m = first; m < first + 300; m++) {
    const open = 60_000 - (m - first) * 0.5;
    const close = open - 0.5;
    lines.push(`${m * MINUTE_MS},${open},${open + 5},${close - 5},${close},1`);
  }
  await Deno.writeTextFile(`${dir}/data/binance_${base}-${quote}_1m.csv`, lines.join("\n") + "\n");
  return { dir, dataDir: new URL(`file://${dir}/data/`), startMs: nowMs };
}

/**
 * Lifts the close of the 1m candle that closes at least 2 s from now by 0.3 %: SMA 2 crosses
 * above SMA 3 on it, so every running `sma_cross` 2/3 trader enters at its close. Returns that
 * close time.
 */
export function triggerEntry(emulator: VenueEmulator, bookSymbol: string): number {
  const closeMs = Math.ceil((Date.now() + 2_000) / MINUTE_MS) * MINUTE_MS;
  const openMs = closeMs - MINUTE_MS;
  const candle = emulator.book.source.series(bookSymbol, MINUTE_MS)!.candles
    .find((c) => c.openTimeMs === openMs)!;
  const close = candle.open * 1.003;
  emulator.book.source.patch(bookSymbol, MINUTE_MS, openMs, { close, high: close + 5 });
  return closeMs;
}

interface Instance {
  readonly name: string;
  readonly config: string;
  readonly env: Record<string, string>;
  readonly apiKey: string;
  process: TraderProcess;
}

/** Runs the four traders against `emulator` and checks the books; see the module doc. */
export async function liveKillsAndFaults(
  emulator: VenueEmulator,
  dir: string,
  venue: LiveVenue,
): Promise<{ creates: RequestRecord[] }> {
  const url = `sqlite:${dir}/trading.db`;
  const instances: Instance[] = [];
  const tag = crypto.randomUUID().slice(0, 8);
  const body = LIVE_CONFIG_BODY.replace("exchange: binance", `exchange: ${venue.exchange}`)
    .replace("symbol: BTC/USDT", `symbol: ${venue.symbol}`);
  const prefix = envPrefix(venue.exchange);
  // Every process spawned, killed ones included, for the scan of what it printed.
  const outputs: Record<string, string> = {};
  const secrets: string[] = [];
  const keep = async (name: string, process: TraderProcess) => {
    outputs[`stdout of ${name} #${process.child.pid}`] = await process.stdout;
    outputs[`stderr of ${name} #${process.child.pid}`] = await process.stderr;
  };
  let passed = false;
  try {
    const points: (FailpointName | null)[] = ["order.after_send", "order.after_response", null];
    for (const [i, point] of points.entries()) {
      const name = point === null ? "live-faults" : `live-kill-${i + 1}`;
      let keys: Keys = { apiKey: `KEY-${tag}-${i}`, secret: `SECRET-${tag}-${i}` };
      if (venue.newAccount) keys = await venue.newAccount(venue.balances);
      else emulator.addAccount(keys.apiKey, keys.secret, venue.balances);
      const { apiKey, secret } = keys;
      // A PEM's lines each stand for the key; a leak of any one of them counts.
      secrets.push(apiKey, ...secret.split("\n").filter((line) => line.length >= 16));
      const env: Record<string, string> = {
        DATABASE_URL: url,
        LOG_DIR: `${dir}/logs`,
        [`${prefix}_API_URL`]: emulator.url,
        [`${prefix}_API_KEY`]: apiKey,
        [`${prefix}_API_SECRET`]: secret,
      };
      const config = await writeConfig(dir, name, body);
      const process = spawnTrader(
        config,
        point === null ? env : { ...env, TRADER_FAILPOINT: point },
      );
      instances.push({ name, config, env, apiKey, process });
    }
    for (const { name, process } of instances) {
      let exited = false;
      process.status.then(() => exited = true);
      await waitFor(`${name} running`, async () => {
        if (exited) throw new Error(`${name} exited while starting: ${await process.stderr}`);
        return withStore(url, (s) => s.instances.get(name)?.status === "running");
      }, 40_000);
    }
    for (const fault of venue.faults) emulator.addFault(fault);
    triggerEntry(emulator, venue.bookSymbol);
    for (const instance of instances.slice(0, 2)) {
      const status = await instance.process.status;
      assert.equal(status.signal, "SIGKILL", `${instance.name}: ${await instance.process.stderr}`);
      await keep(instance.name, instance.process);
      instance.process = spawnTrader(instance.config, instance.env);
    }
    for (const { name } of instances) {
      await waitFor(`${name} reconciled with an order behind it`, () =>
        withStore(url, (s) => {
          const orders = s.orders.recent(name, 100);
          return orders.length > 0 && orders.every((o) => o.status !== "submitting") &&
            s.instances.get(name)?.status === "running";
        }), 60_000);
    }
    for (const { process } of instances) process.child.kill("SIGTERM");
    for (const { name, process } of instances) {
      assert.equal((await process.status).code, 0, `${name}: ${await process.stderr}`);
      await keep(name, process);
    }
    // No key or secret in what the traders printed, logged or stored.
    const scan = await scanForSecrets(secrets, { texts: outputs, paths: [dir] });
    assert.deepEqual(scan.hits, []);
    for (const { name } of instances) {
      assert.ok(scan.files.includes(`${dir}/logs/${name}.jsonl`), `${name}'s log was scanned`);
    }
    const creates = emulator.requests().filter((r) =>
      r.method === venue.createMethod && r.path === venue.createPath
    );
    assertOneOrderPerIntent(emulator, url, instances, venue, creates);
    passed = true;
    return { creates };
  } finally {
    for (const { process } of instances) {
      try {
        process.child.kill("SIGKILL");
      } catch { /* already exited */ }
      await process.status;
      await process.stdout;
      await process.stderr;
    }
    // Keep the logs and DB of a failed run for diagnosis.
    if (passed) await Deno.remove(dir, { recursive: true });
  }
}

function assertOneOrderPerIntent(
  emulator: VenueEmulator,
  url: string,
  instances: readonly Instance[],
  venue: LiveVenue,
  creates: readonly RequestRecord[],
) {
  assert.ok(creates.length >= 2, `creates: ${creates.length}`);
  for (const request of creates) {
    assert.ok(request.signed && request.hasApiKey, "order requests are signed");
    const cid = request.params[venue.clientIdField];
    assert.match(cid, /^live-(kill-\d|faults)-[0-9a-z]+-[exstrn][0-9a-z]+$/);
    assert.ok(cid.length <= venue.maxClientIdLength, `${cid} is too long for ${venue.exchange}`);
  }
  const atExchange = emulator.orders();
  for (const { name, apiKey } of instances) {
    const ids = atExchange.filter((o) => o.clientOrderId.startsWith(`${name}-`))
      .map((o) => o.clientOrderId);
    assert.equal(new Set(ids).size, ids.length, `${name}: an intent reached the exchange twice`);
    assertBooksMatchExchange(emulator, url, {
      name,
      apiKey,
      symbol: venue.bookSymbol,
      base: venue.base,
      quote: venue.quote,
      exchangeOrderId: (order) => emulator.exchangeOrderId(order),
    });
  }
  // Killed after the send, before or after the answer was recorded: sent exactly once.
  const first = (name: string) => withStore(url, (s) => s.orders.recent(name, 1000).at(-1)!);
  assert.equal(first("live-kill-1").status, "filled");
  assert.equal(first("live-kill-2").status, "filled");
}
