/** Notifications: events queued in the outbox with the change they report, and their delivery. */
export * from "./events.ts";
export * from "./channels.ts";
export * from "./notifier.ts";
export * from "./notify_sender.ts";
export * from "./notifications.ts";
export * from "./watch.ts";
