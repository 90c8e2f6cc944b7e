/**
 * A trader's notifications from its config and environment: the notifier it reports through and
 * the sender that delivers the outbox. The sender starts with the trader and stops after it.
 */
import type { Clock } from "../core/ports.ts";
import type { OutboxRepo } from "../storage/outbox_repo.ts";
import { type NotifyChannel, notifyChannels } from "./channels.ts";
import type { NotifyFilterConfig } from "./events.ts";
import { Notifier } from "./notifier.ts";
import { NotifySender, type NotifySenderOptions } from "./notify_sender.ts";

/** A trader's notifier and sender. */
export interface Notifications {
  readonly notifier: Notifier;
  readonly sender: NotifySender;
}

/** What `openNotifications` needs. */
export interface NotificationsOptions {
  readonly instance: string;
  /** The YAML `notify` section, or null. */
  readonly filter: NotifyFilterConfig | null;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly outbox: OutboxRepo;
  readonly clock: Clock;
  readonly logger?: NotifySenderOptions["logger"];
}

/** The channels of `env` the filter uses; throws an InputError on a malformed channel. */
export function usedChannels(
  filter: NotifyFilterConfig | null,
  env: NotificationsOptions["env"],
): NotifyChannel[] {
  const only = filter?.channels ?? null;
  return notifyChannels(env).filter((channel) => only === null || only.includes(channel.name));
}

/** The hosts the used channels connect to (the trader keeps net access to them). */
export function notificationHosts(
  filter: NotifyFilterConfig | null,
  env: NotificationsOptions["env"],
): string[] {
  return [...new Set(usedChannels(filter, env).map((channel) => channel.host))];
}

/** The notifier and sender over the used channels. */
export function openNotifications(options: NotificationsOptions): Notifications {
  const channels = usedChannels(options.filter, options.env);
  const sender = new NotifySender({
    instance: options.instance,
    outbox: options.outbox,
    channels,
    clock: options.clock,
    logger: options.logger,
    baseDelayMs: positive(options.env.NOTIFY_RETRY_BASE_MS),
  });
  const notifier = new Notifier(options.outbox, {
    filter: options.filter,
    channels: channels.map((channel) => channel.name),
    queued: () => sender.poke(),
  });
  return { notifier, sender };
}

function positive(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}
