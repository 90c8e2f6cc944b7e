import assert from "node:assert/strict";
import { abortableDelay } from "../../src/core/clock.ts";
import { BinanceEmulator } from "./binance_emulator.ts";

const MINUTE = 60_000;
const START = Date.UTC(2023, 3, 1); // inside data/samples/binance_BTC-USDT_1m.csv

/** A raw client: every frame it received, parsed. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  const frames: Record<string, unknown>[] = [];
  const closed = new Promise<void>((resolve) => socket.onclose = () => resolve());
  socket.onmessage = (e) => frames.push(JSON.parse(String(e.data)));
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const until = async (count: number) => {
    for (let i = 0; i < 2_000 && frames.length < count; i++) await abortableDelay(5);
    assert.ok(frames.length >= count, `${frames.length} of ${count} frames`);
  };
  return { socket, frames, closed, until };
}

type Kline = { e: string; s: string; k: Record<string, unknown> };

Deno.test("EmulatorStreams answers SUBSCRIBE and pushes Binance kline events that close with the clock", async () => {
  await using emulator = new BinanceEmulator({ startMs: START + 30_000 });
  const ws = await connect(emulator.url.replace("http", "ws") + "/ws/0");
  ws.socket.send(JSON.stringify({ method: "SUBSCRIBE", params: ["btcusdt@kline_1m"], id: 7 }));
  await ws.until(2);
  assert.deepEqual(ws.frames[0], { result: null, id: 7 });
  const open = ws.frames[1] as Kline;
  assert.equal(open.e, "kline");
  assert.equal(open.s, "BTCUSDT");
  assert.equal(open.k.t, START);
  assert.equal(open.k.T, START + MINUTE - 1);
  assert.equal(open.k.i, "1m");
  assert.equal(open.k.x, false);
  for (const f of ["o", "h", "l", "c", "v", "q"]) assert.equal(typeof open.k[f], "string");
  const count = ws.frames.length;
  emulator.advanceCandles(1, "1m");
  // A periodic refresh of the open candle may still be in flight: look for the two by content.
  const after = () => ws.frames.slice(count) as Kline[];
  for (let i = 0; i < 2_000 && !after().some((f) => f.k.t === START + MINUTE); i++) {
    await abortableDelay(5);
  }
  const closed = after().find((f) => f.k.x === true)!;
  const next = after().find((f) => f.k.t === START + MINUTE)!;
  assert.deepEqual([closed.k.t, closed.k.x, next.k.t, next.k.x], [
    START,
    true,
    START + MINUTE,
    false,
  ]);
  assert.ok(after().indexOf(closed) < after().indexOf(next), "the final kline comes first");
  const rest = await (await fetch(
    `${emulator.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${START}&limit=1`,
  )).json();
  assert.deepEqual(
    [closed.k.o, closed.k.h, closed.k.l, closed.k.c, closed.k.v],
    rest[0].slice(1, 6),
    "the same candle as REST",
  );
  assert.deepEqual(emulator.streams.subscriptions(), ["btcusdt@kline_1m"]);
  const dropped = await (await fetch(`${emulator.url}/__control/ws/drop`, { method: "POST" }))
    .json();
  assert.deepEqual(dropped, { result: { dropped: 1 } });
  await ws.closed;
  assert.equal(emulator.streams.connectionCount(), 0);
});

Deno.test("EmulatorStreams wraps events on /stream and rejects unknown streams", async () => {
  await using emulator = new BinanceEmulator({ startMs: START + 30_000 });
  const url = emulator.url.replace("http", "ws") + "/stream?streams=btcusdt@kline_1m";
  const ws = await connect(url);
  await ws.until(1);
  const wrapped = ws.frames[0] as { stream: string; data: Kline };
  assert.equal(wrapped.stream, "btcusdt@kline_1m");
  assert.equal(wrapped.data.k.t, START);
  ws.socket.send(JSON.stringify({ method: "SUBSCRIBE", params: ["btcusdt@bogus"], id: 2 }));
  await ws.until(2);
  const reply = ws.frames.find((f) => f.id === 2) as { error: { code: number } };
  assert.equal(reply.error.code, 2);
  ws.socket.close();
  await ws.closed;
});
