import assert from "node:assert/strict";
import { BinanceEmulator, EMULATOR_API_KEY, EMULATOR_API_SECRET } from "./binance_emulator.ts";
import { hmacHex } from "./emulator_auth.ts";
import { EmulatorControlClient } from "./emulator_control.ts";
import { emulatorClient } from "./exchange_harness.ts";

const HOUR = 3_600_000;
const START = Date.UTC(2024, 6, 10);

async function signedGet(emulator: BinanceEmulator, path: string, query: string, secret: string) {
  const signature = await hmacHex(secret, query);
  const res = await fetch(`${emulator.url}${path}?${query}&signature=${signature}`, {
    headers: { "X-MBX-APIKEY": EMULATOR_API_KEY },
  });
  return { status: res.status, body: await res.json() };
}

Deno.test("BinanceEmulator verifies the HMAC signature and the recvWindow", async () => {
  await using emulator = new BinanceEmulator();
  const now = Date.now();
  const ok = await signedGet(emulator, "/api/v3/account", `timestamp=${now}`, EMULATOR_API_SECRET);
  assert.equal(ok.status, 200);
  assert.equal(ok.body.balances[0].asset, "USDT");
  const wrong = await signedGet(emulator, "/api/v3/account", `timestamp=${now}`, "other");
  assert.deepEqual([wrong.status, wrong.body.code], [400, -1022]);
  const stale = await signedGet(
    emulator,
    "/api/v3/account",
    `timestamp=${now - 6000}&recvWindow=5000`,
    EMULATOR_API_SECRET,
  );
  assert.deepEqual([stale.status, stale.body.code], [400, -1021]);
  const ahead = await signedGet(
    emulator,
    "/api/v3/account",
    `timestamp=${now + 5000}`,
    EMULATOR_API_SECRET,
  );
  assert.equal(ahead.body.code, -1021);
});

Deno.test("BinanceEmulator klines honour limit, startTime and endTime and leave the last candle open", async () => {
  await using emulator = new BinanceEmulator({ startMs: START + 2000 * HOUR + 15 * 60_000 });
  const get = async (q: string) =>
    await (await fetch(`${emulator.url}/api/v3/klines?symbol=BTCUSDT&interval=1h&${q}`)).json();
  assert.equal((await get("limit=5000")).length, 1000);
  assert.equal((await get("")).length, 500);
  const range = await get(`startTime=${START + HOUR}&endTime=${START + 3 * HOUR}`);
  assert.deepEqual(range.map((r: number[]) => r[0]), [
    START + HOUR,
    START + 2 * HOUR,
    START + 3 * HOUR,
  ]);
  assert.equal(range[0][6], START + 2 * HOUR - 1);
  const latest = await get("limit=2");
  assert.equal(latest[1][0], START + 2000 * HOUR, "the current candle is served");
  emulator.advance(45 * 60_000);
  const closed = await get(`startTime=${START + 2000 * HOUR}&limit=1`);
  assert.notDeepEqual(latest[1].slice(2, 6), closed[0].slice(2, 6), "it was partial while open");
  assert.equal(Number(latest[1][1]), Number(closed[0][1]), "same open");
});

Deno.test("BinanceEmulator builds missing intervals from finer files", async () => {
  await using emulator = new BinanceEmulator({ startMs: START + 30 * 24 * HOUR });
  const rows = async (interval: string, q: string) =>
    await (await fetch(`${emulator.url}/api/v3/klines?symbol=BTCUSDT&interval=${interval}&${q}`))
      .json();
  const [four] = await rows("4h", `startTime=${START}&limit=1`);
  const ones = await rows("1h", `startTime=${START}&limit=4`);
  assert.equal(four[1], ones[0][1]);
  assert.equal(four[4], ones[3][4]);
  assert.equal(Number(four[2]), Math.max(...ones.map((r: string[]) => Number(r[2]))));
});

Deno.test("BinanceEmulator counts weight per IP and answers 429 with Retry-After over the limit", async () => {
  await using emulator = new BinanceEmulator({ weightLimit: 45 });
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 3; i++) {
    last = await fetch(`${emulator.url}/api/v3/exchangeInfo`);
    statuses.push(last.status);
    await last.body?.cancel();
  }
  assert.deepEqual(statuses, [200, 200, 429]);
  assert.equal(last!.headers.get("x-mbx-used-weight-1m"), "60");
  assert.ok(Number(last!.headers.get("retry-after")) >= 1);
  const [usage] = emulator.weightUsage();
  assert.deepEqual([usage.ip, usage.requests, usage.rejected429], ["127.0.0.1", 3, 1]);
});

Deno.test("BinanceEmulator rejects a duplicate open client id and fills resting orders as time passes", async () => {
  await using emulator = new BinanceEmulator({ startMs: START + 10 * HOUR });
  const ex = emulatorClient(emulator, { keys: true }).ccxt;
  await ex.loadMarkets();
  const price = (await ex.fetchTicker("BTC/USDT")).last!;
  await ex.createOrder("BTC/USDT", "limit", "buy", 0.01, Math.round(price * 0.98), {
    clientOrderId: "dup",
  });
  await assert.rejects(
    ex.createOrder("BTC/USDT", "limit", "buy", 0.01, Math.round(price * 0.98), {
      clientOrderId: "dup",
    }),
    /Duplicate order sent/,
  );
  assert.equal(emulator.balances().USDT.locked, 0.01 * Math.round(price * 0.98));
  emulator.setTime(START + 2000 * HOUR); // the bundled year passes far below 98 %
  const [limit] = emulator.orders();
  assert.equal(limit.status, "FILLED");
  assert.equal(limit.executedQty, 0.01);
  assert.equal(emulator.balances().USDT.locked, 0);
  assert.ok(Math.abs(emulator.balances().BTC.free - 0.01 * 0.999) < 1e-12);
});

Deno.test("binance_emulator_main prints its URL first and is driven over HTTP", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./binance_emulator_main.ts", import.meta.url).pathname,
      "--port",
      "0",
      "--start",
      String(START + 5 * HOUR),
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) text += (await reader.read()).value ?? "";
  const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(text)?.[1];
  assert.ok(url, text);
  const control = new EmulatorControlClient(url);
  assert.equal((await control.state()).marketTimeMs, START + 5 * HOUR);
  await control.advanceCandles(2, "1h");
  assert.equal((await control.state()).marketTimeMs, START + 7 * HOUR);
  await control.addFault({ kind: "http_error", path: "/api/v3/ping", status: 503 });
  assert.equal((await fetch(`${url}/api/v3/ping`)).status, 503);
  const requests = await control.requests();
  assert.deepEqual(requests.map((r) => [r.path, r.status, r.fault]), [[
    "/api/v3/ping",
    503,
    "http_error",
  ]]);
  child.kill("SIGTERM");
  assert.equal((await child.status).success, true);
  await reader.cancel();
});
