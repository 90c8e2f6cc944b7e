/**
 * A loopback notification receiver for tests: it records every POST it accepts, can fail the
 * first N with HTTP 503, or never answer at all (a dead channel). Serves the webhook, Telegram
 * (`/bot<token>/sendMessage`), Discord and Slack paths alike.
 */

/** One request the receiver accepted. */
export interface ReceivedNotification {
  readonly path: string;
  readonly headers: Headers;
  readonly body: string;
  readonly json: Record<string, unknown>;
}

/** Options of `NotifyReceiver`. */
export interface NotifyReceiverOptions {
  /** The first this many requests get HTTP 503. */
  readonly failFirst?: number;
  /** Requests are held until the receiver closes, never answered. */
  readonly hang?: boolean;
}

/** A loopback receiver on a free port. */
export class NotifyReceiver implements AsyncDisposable {
  readonly received: ReceivedNotification[] = [];
  /** Every request that arrived, accepted or not. */
  attempts = 0;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #closed = new AbortController();

  constructor(options: NotifyReceiverOptions = {}) {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (request) => {
        this.attempts++;
        const body = await request.text();
        if (options.hang) {
          await new Promise((resolve) => this.#closed.signal.addEventListener("abort", resolve));
          return new Response("closing", { status: 503 });
        }
        if (this.attempts <= (options.failFirst ?? 0)) {
          return new Response("try later", { status: 503 });
        }
        const url = new URL(request.url);
        this.received.push({
          path: url.pathname,
          headers: request.headers,
          body,
          json: JSON.parse(body),
        });
        const telegram = url.pathname.endsWith("/sendMessage");
        return telegram
          ? Response.json({ ok: true, result: { message_id: this.attempts } })
          : new Response("ok");
      },
    );
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#closed.abort();
    await this.#server.shutdown();
  }
}
