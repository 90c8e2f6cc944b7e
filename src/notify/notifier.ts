/**
 * What a trader reports through: it filters an event by the instance's `notify` section and
 * queues it in the outbox for every channel, inside the caller's transaction.
 */
import type { OutboxRepo } from "../storage/outbox_repo.ts";
import { eventWanted, type NotifyEvent, type NotifyFilterConfig } from "./events.ts";

/** Queues an instance's notifications. */
export class Notifier {
  readonly #outbox: OutboxRepo;
  readonly #filter: NotifyFilterConfig | null;
  readonly #channels: readonly string[];
  readonly #limit: number | undefined;
  readonly #queued: () => void;

  /**
   * `channels`: the configured channel names (narrowed by the filter's `channels`); `queued` is
   * called after each queued event (the sender looks at once).
   */
  constructor(
    outbox: OutboxRepo,
    options: {
      filter: NotifyFilterConfig | null;
      channels: readonly string[];
      limit?: number;
      queued?: () => void;
    },
  ) {
    this.#outbox = outbox;
    this.#filter = options.filter;
    const only = options.filter?.channels ?? null;
    this.#channels = options.channels.filter((c) => only === null || only.includes(c));
    this.#limit = options.limit;
    this.#queued = options.queued ?? (() => {});
  }

  /** True when some channel is configured: events are queued. */
  get active(): boolean {
    return this.#channels.length > 0;
  }

  /** True when some channel is configured and the filter lets `event` through. */
  wants(event: NotifyEvent["event"]): boolean {
    return this.#channels.length > 0 && eventWanted(this.#filter, event);
  }

  /** Queues `event` when the filter wants it; `pnlPct`: the trade it closed, if any. */
  emit(event: NotifyEvent, pnlPct: number | null = null): void {
    if (this.#channels.length === 0) return;
    if (!eventWanted(this.#filter, event.event, pnlPct)) return;
    this.#outbox.add(event, this.#channels, this.#limit);
    this.#queued();
  }

  /**
   * Like `emit`, but the event's id is queued once for good, whoever offers it and however
   * often (a stale heartbeat seen by several traders, a daily summary): true when queued now.
   */
  emitOnce(event: NotifyEvent): boolean {
    if (this.#channels.length === 0) return false;
    if (!eventWanted(this.#filter, event.event)) return false;
    const queued = this.#outbox.addOnce(event, this.#channels, this.#limit);
    if (queued) this.#queued();
    return queued;
  }
}
