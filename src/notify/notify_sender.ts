/**
 * The sender: a loop beside the trader that delivers the outbox, one row at a time per channel in
 * insertion order, with retries and exponential backoff. It only reads and deletes outbox rows
 * and awaits HTTP, so a slow or dead channel delays nothing but its own queue.
 */
import { errorMessage } from "../core/errors.ts";
import type { Clock } from "../core/ports.ts";
import type { OutboxRepo, OutboxRow } from "../storage/outbox_repo.ts";
import type { NotifyChannel } from "./channels.ts";

/** Options of `NotifySender`. */
export interface NotifySenderOptions {
  readonly instance: string;
  readonly outbox: OutboxRepo;
  readonly channels: readonly NotifyChannel[];
  readonly clock: Clock;
  /** Wall ms between looks at the outbox when idle; default 1000. */
  readonly pollMs?: number;
  /** First retry delay; each failure doubles it up to `maxDelayMs`. Default 1000. */
  readonly baseDelayMs?: number;
  /** Longest retry delay; default 300000 (5 min). */
  readonly maxDelayMs?: number;
  /** One attempt gives up after this; default 10000. */
  readonly timeoutMs?: number;
  readonly logger?: { warn(message: string, props?: Record<string, unknown>): void };
  /** HTTP; default `fetch`. */
  readonly fetch?: (request: Request, init: { signal: AbortSignal }) => Promise<Response>;
}

/** Delivers an instance's outbox until stopped. */
export class NotifySender {
  readonly #options: NotifySenderOptions;
  readonly #stop = new AbortController();
  #running: Promise<void> | null = null;
  readonly #wakers = new Set<() => void>();

  constructor(options: NotifySenderOptions) {
    this.#options = options;
  }

  /** Starts one loop per channel; safe to call once. */
  start(): void {
    if (this.#running !== null) return;
    for (const channel of this.#options.channels) {
      if (Deno.permissions.querySync({ name: "net", host: channel.host }).state === "granted") {
        continue;
      }
      this.#options.logger?.warn(
        "Notifications to {channel} cannot be sent: net access to {host} is not allowed; add it " +
          "to deno.json permissions.trade.net (deno task compose adds it to the container's)",
        { channel: channel.name, host: channel.host },
      );
    }
    this.#running = Promise.all(this.#options.channels.map((c) => this.#loop(c))).then(() => {});
  }

  /** Looks at the outbox now instead of at the next poll (a new event was written). */
  poke(): void {
    for (const wake of [...this.#wakers]) wake();
  }

  /** Waits until the instance's outbox is empty or `timeoutMs` passed (a clean stop's last events). */
  async flush(timeoutMs: number): Promise<void> {
    const { outbox, instance, clock } = this.#options;
    const deadline = clock.nowMs() + timeoutMs;
    this.poke();
    // Rows of a channel no longer configured wait for it; only the configured ones count here.
    const waiting = () =>
      this.#options.channels.some((channel) => outbox.head(instance, channel.name) !== null);
    while (waiting() && clock.nowMs() < deadline && this.#running !== null) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Ends the loops after the attempts in flight (each bounded by its timeout). */
  async stop(): Promise<void> {
    this.#stop.abort();
    this.poke();
    await this.#running;
  }

  async #loop(channel: NotifyChannel): Promise<void> {
    const { outbox, instance, clock } = this.#options;
    while (!this.#stop.signal.aborted) {
      let row: OutboxRow | null = null;
      try {
        row = outbox.head(instance, channel.name);
      } catch (error) {
        this.#options.logger?.warn("Outbox not read: {error}", { error: errorMessage(error) });
      }
      const waitMs = row === null
        ? (this.#options.pollMs ?? 1000)
        : Math.max(0, row.nextMs - clock.nowMs());
      if (row === null || waitMs > 0) {
        await this.#sleep(Math.min(waitMs, this.#options.pollMs ?? 1000));
        continue;
      }
      await this.#attempt(channel, row);
    }
  }

  async #attempt(channel: NotifyChannel, row: OutboxRow): Promise<void> {
    const { outbox, clock } = this.#options;
    const outcome = await this.#send(channel, row);
    try {
      if (outcome === null) outbox.delivered(row.seq);
      else {
        const base = this.#options.baseDelayMs ?? 1000;
        const delay = Math.min(base * 2 ** row.attempts, this.#options.maxDelayMs ?? 300_000);
        outbox.failed(row.seq, clock.nowMs() + delay, outcome);
        this.#options.logger?.warn(
          "Notification {id} to {channel} failed (attempt {attempt}), retry in {delay} ms: {error}",
          { id: row.id, channel: channel.name, attempt: row.attempts + 1, delay, error: outcome },
        );
      }
    } catch (error) {
      this.#options.logger?.warn("Outbox not updated: {error}", { error: errorMessage(error) });
      await this.#sleep(this.#options.pollMs ?? 1000);
    }
  }

  /** Null when the channel accepted the row, else why not. */
  async #send(channel: NotifyChannel, row: OutboxRow): Promise<string | null> {
    const send = this.#options.fetch ?? ((request, init) => fetch(request, init));
    const signal = AbortSignal.any([
      this.#stop.signal,
      AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
    ]);
    try {
      const response = await send(await channel.request(row), { signal });
      const text = await response.text();
      if (response.ok) return null;
      return `HTTP ${response.status} ${text.slice(0, 200)}`;
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) {
        return `net access to ${channel.host} is not allowed; add "${channel.host}" to deno.json ` +
          `permissions.trade.net (deno task compose adds it to the container's)`;
      }
      return errorMessage(error);
    }
  }

  #sleep(ms: number): Promise<void> {
    const wakers = this.#wakers;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });
  }
}
