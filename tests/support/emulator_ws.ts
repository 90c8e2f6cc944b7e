/**
 * Binance spot market streams for the emulator: kline events over WebSocket at `/ws` and `/stream`,
 * from the same candles as REST klines, following the emulator's market clock.
 */
import { alignOpen, lowerBound } from "./candle_source.ts";
import type { EmulatorBook } from "./emulator_book.ts";
import { type EmulatorClock, intervalMs } from "./emulator_clock.ts";
import { klineRow } from "./emulator_responses.ts";

/** One kline stream of one connection, e.g. `btcusdt@kline_1m`. */
interface KlineStream {
  readonly name: string;
  readonly symbol: string;
  readonly interval: string;
  readonly intervalMs: number;
  /** Open time of the candle last pushed as still open; null before the first push. */
  openMs: number | null;
  lastPushMarketMs: number;
  lastPushWallMs: number;
}

interface Connection {
  readonly id: number;
  readonly socket: WebSocket;
  /** `/stream` wraps events as `{stream, data}`. */
  readonly combined: boolean;
  readonly streams: Map<string, KlineStream>;
}

/** A frame a stream client sent, or a connection event, for tests to inspect. */
export interface StreamRecord {
  readonly connectionId: number;
  readonly wallTimeMs: number;
  readonly event: "open" | "message" | "close" | "drop" | "refused";
  readonly path: string;
  readonly data?: string;
}

const STREAM_NAME = /^([a-z0-9]+)@kline_(\w+)$/;
/** Candles pushed at most after a clock jump; Binance would push each, but none matters here. */
const MAX_CATCH_UP = 1000;

/** The stream side of the emulator; `handle` answers upgrades at `/ws` and `/stream`. */
export class EmulatorStreams {
  readonly #book: EmulatorBook;
  readonly #clock: EmulatorClock;
  readonly #connections = new Set<Connection>();
  readonly #log: StreamRecord[] = [];
  readonly #tickMs: number;
  readonly #refreshMs: number;
  #nextId = 1;
  #timer: ReturnType<typeof setInterval> | null = null;
  #refusing = false;

  constructor(
    book: EmulatorBook,
    clock: EmulatorClock,
    options: { tickMs?: number; refreshMs?: number } = {},
  ) {
    this.#book = book;
    this.#clock = clock;
    this.#tickMs = options.tickMs ?? 10;
    // Binance re-sends the open kline every 2 s; faster here so tests do not wait.
    this.#refreshMs = options.refreshMs ?? 100;
  }

  /** A response for stream paths and `/__control/ws/*`; null for every other request. */
  handle(req: Request, url: URL): Response | null {
    if (url.pathname.startsWith("/__control/ws/")) return this.#control(url.pathname.slice(14));
    const isStream = /^\/(ws|stream)(\/|$)/.test(url.pathname);
    if (!isStream || req.headers.get("upgrade")?.toLowerCase() !== "websocket") return null;
    if (this.#refusing) {
      this.#record(0, "refused", url.pathname);
      return new Response("stream endpoint unavailable", { status: 503 });
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    const connection: Connection = {
      id: this.#nextId++,
      socket,
      combined: url.pathname.startsWith("/stream"),
      streams: new Map(),
    };
    socket.onopen = () => {
      this.#connections.add(connection);
      this.#record(connection.id, "open", url.pathname);
      const named = [
        url.pathname.split("/")[2] ?? "",
        ...(url.searchParams.get("streams") ?? "")
          .split("/"),
      ];
      this.#subscribe(connection, named.filter((n) => STREAM_NAME.test(n)));
      this.#startTicker();
    };
    socket.onmessage = (e) => this.#onMessage(connection, url.pathname, String(e.data));
    socket.onclose = () => this.#forget(connection, "close", url.pathname);
    socket.onerror = () => this.#forget(connection, "close", url.pathname);
    return response;
  }

  /** Closes every stream connection at once (a fault); returns how many there were. */
  drop(): number {
    const count = this.#connections.size;
    for (const c of [...this.#connections]) {
      this.#forget(c, "drop", "");
      if (c.socket.readyState === WebSocket.OPEN) c.socket.close(4000, "dropped by the emulator");
    }
    return count;
  }

  /** While true, new stream connections get HTTP 503 (an outage of the stream endpoint). */
  refuse(on: boolean): void {
    this.#refusing = on;
  }

  /** Open connections. */
  connectionCount(): number {
    return this.#connections.size;
  }

  /** Stream names subscribed on open connections, one entry per connection and stream. */
  subscriptions(): string[] {
    return [...this.#connections].flatMap((c) => [...c.streams.keys()]);
  }

  /** Frames and connection events received so far. */
  records(): StreamRecord[] {
    return [...this.#log];
  }

  /** Closes every connection and stops pushing. */
  close(): void {
    for (const c of [...this.#connections]) {
      this.#forget(c, "close", "");
      if (c.socket.readyState === WebSocket.OPEN) c.socket.close(1001, "emulator stopping");
    }
    this.#stopTicker();
  }

  #control(action: string): Response {
    if (action === "drop") return Response.json({ result: { dropped: this.drop() } });
    if (action === "refuse" || action === "accept") {
      this.refuse(action === "refuse");
      return Response.json({ result: { refusing: this.#refusing } });
    }
    if (action === "state") {
      return Response.json({
        result: { connections: this.connectionCount(), subscriptions: this.subscriptions() },
      });
    }
    return Response.json({ error: `unknown stream control ${action}` }, { status: 404 });
  }

  #record(connectionId: number, event: StreamRecord["event"], path: string, data?: string) {
    this.#log.push({ connectionId, wallTimeMs: Date.now(), event, path, data });
  }

  #forget(connection: Connection, event: StreamRecord["event"], path: string): void {
    if (!this.#connections.delete(connection)) return;
    this.#record(connection.id, event, path);
    if (this.#connections.size === 0) this.#stopTicker();
  }

  #onMessage(connection: Connection, path: string, data: string): void {
    this.#record(connection.id, "message", path, data);
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(data);
    } catch {
      return this.#send(connection, { error: { code: 3, msg: "Invalid JSON" } });
    }
    const id = request.id ?? null;
    const params = Array.isArray(request.params) ? request.params.map(String) : [];
    switch (request.method) {
      case "SUBSCRIBE": {
        const bad = params.find((p) => !this.#parse(p));
        if (bad !== undefined) {
          return this.#send(connection, {
            error: { code: 2, msg: `Invalid request: unknown stream ${bad}` },
            id,
          });
        }
        this.#send(connection, { result: null, id });
        return this.#subscribe(connection, params);
      }
      case "UNSUBSCRIBE":
        for (const p of params) connection.streams.delete(p);
        return this.#send(connection, { result: null, id });
      case "LIST_SUBSCRIPTIONS":
        return this.#send(connection, { result: [...connection.streams.keys()], id });
      default:
        return this.#send(connection, { error: { code: 2, msg: "Invalid request" }, id });
    }
  }

  #parse(name: string): Omit<KlineStream, "openMs" | "lastPushMarketMs" | "lastPushWallMs"> | null {
    const m = STREAM_NAME.exec(name);
    const ms = m ? intervalMs(m[2]) : null;
    if (!m || ms === null) return null;
    return { name, symbol: m[1].toUpperCase(), interval: m[2], intervalMs: ms };
  }

  #subscribe(connection: Connection, names: readonly string[]): void {
    for (const name of names) {
      const parsed = this.#parse(name);
      if (!parsed || connection.streams.has(name)) continue;
      const stream = { ...parsed, openMs: null, lastPushMarketMs: NaN, lastPushWallMs: 0 };
      connection.streams.set(name, stream);
      // Binance pushes the open kline soon after a subscription; at once here.
      this.#push(connection, stream);
    }
  }

  #startTicker(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.#tick(), this.#tickMs);
  }

  #stopTicker(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #tick(): void {
    const nowMs = this.#clock.nowMs();
    const wallMs = Date.now();
    for (const connection of this.#connections) {
      for (const stream of connection.streams.values()) {
        const moved = nowMs !== stream.lastPushMarketMs;
        if (moved || wallMs - stream.lastPushWallMs >= this.#refreshMs) {
          this.#push(connection, stream);
        }
      }
    }
  }

  /** Pushes each candle that closed since the last push (final), then the open one. */
  #push(connection: Connection, stream: KlineStream): void {
    const nowMs = this.#clock.nowMs();
    stream.lastPushMarketMs = nowMs;
    stream.lastPushWallMs = Date.now();
    const candles = this.#book.source.series(stream.symbol, stream.intervalMs)?.candles ?? [];
    const currentOpenMs = alignOpen(nowMs, stream.intervalMs);
    const fromMs = stream.openMs === null ? currentOpenMs : Math.min(stream.openMs, currentOpenMs);
    const end = lowerBound(candles, currentOpenMs + 1);
    const start = Math.max(lowerBound(candles, fromMs), end - MAX_CATCH_UP);
    for (const candle of candles.slice(start, end)) {
      const row = klineRow(candle, stream.intervalMs, nowMs) as (string | number)[];
      const event = {
        e: "kline",
        E: nowMs,
        s: stream.symbol,
        k: {
          t: row[0],
          T: row[6],
          s: stream.symbol,
          i: stream.interval,
          f: 100 * Number(row[0]) / stream.intervalMs,
          L: 100 * Number(row[0]) / stream.intervalMs + Number(row[8]) - 1,
          o: row[1],
          c: row[4],
          h: row[2],
          l: row[3],
          v: row[5],
          n: row[8],
          x: Number(row[6]) < nowMs,
          q: row[7],
          V: row[9],
          Q: row[10],
          B: "0",
        },
      };
      this.#send(connection, connection.combined ? { stream: stream.name, data: event } : event);
    }
    stream.openMs = currentOpenMs;
  }

  #send(connection: Connection, message: unknown): void {
    if (connection.socket.readyState === WebSocket.OPEN) {
      connection.socket.send(JSON.stringify(message));
    }
  }
}
