/**
 * Notification channels from the environment (tokens are secrets, so they live in `.env`): a
 * generic JSON webhook, Telegram's Bot API `sendMessage`, a Discord webhook and a Slack webhook.
 * Each turns an outbox row into one HTTP request.
 */
import { InputError } from "../core/errors.ts";
import type { OutboxEvent } from "../storage/outbox_repo.ts";
import type { NotifyChannelName } from "./events.ts";

/** One configured channel: where it posts and how it builds a request. */
export interface NotifyChannel {
  readonly name: NotifyChannelName;
  /** Host (with port when not the default) the channel connects to. */
  readonly host: string;
  /** The HTTP request that delivers `event`. */
  request(event: OutboxEvent): Promise<Request>;
}

/** Telegram bot tokens: `<bot id>:<35 characters>`. */
const TELEGRAM_TOKEN = /^\d{5,15}:[A-Za-z0-9_-]{30,50}$/;
/** The header carrying the webhook body's HMAC-SHA256, hex. */
export const SIGNATURE_HEADER = "X-Notify-Signature";

/** The channels the environment configures; a malformed value is an InputError naming it. */
export function notifyChannels(env: Readonly<Record<string, string | undefined>>): NotifyChannel[] {
  const channels: NotifyChannel[] = [];
  const webhook = httpUrl(env, "NOTIFY_WEBHOOK_URL");
  if (webhook !== null) channels.push(webhookChannel(webhook, nonEmpty(env.NOTIFY_WEBHOOK_SECRET)));
  const token = nonEmpty(env.TELEGRAM_BOT_TOKEN);
  if (token !== null) {
    if (!TELEGRAM_TOKEN.test(token)) {
      throw new InputError(
        "Cannot configure notifications: .env: TELEGRAM_BOT_TOKEN must look like 123456789:ABC… " +
          "(digits, a colon, then the 35-character secret BotFather gave)",
      );
    }
    const chatId = nonEmpty(env.TELEGRAM_CHAT_ID);
    if (chatId === null) {
      throw new InputError(
        "Cannot configure notifications: .env: TELEGRAM_BOT_TOKEN is set but TELEGRAM_CHAT_ID is not",
      );
    }
    const base = httpUrl(env, "TELEGRAM_API_URL") ?? new URL("https://api.telegram.org");
    channels.push(telegramChannel(base, token, chatId));
  }
  const discord = httpUrl(env, "DISCORD_WEBHOOK_URL");
  if (discord !== null) {
    channels.push(jsonChannel("discord", discord, (e) => ({ content: e.text })));
  }
  const slack = httpUrl(env, "SLACK_WEBHOOK_URL");
  if (slack !== null) channels.push(jsonChannel("slack", slack, (e) => ({ text: e.text })));
  return channels;
}

/** `host` or `host:port` of a URL, as Deno's net permission names it. */
export function urlHost(url: URL): string {
  return url.port === "" ? url.hostname : `${url.hostname}:${url.port}`;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === "" ? null : value.trim();
}

function httpUrl(env: Readonly<Record<string, string | undefined>>, key: string): URL | null {
  const text = nonEmpty(env[key]);
  if (text === null) return null;
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch { /* reported below */ }
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new InputError(
      `Cannot configure notifications: .env: ${key} must be an http(s) URL (got "${
        text.slice(0, 40)
      }")`,
    );
  }
  return url;
}

function webhookChannel(url: URL, secret: string | null): NotifyChannel {
  return {
    name: "webhook",
    host: urlHost(url),
    async request(event) {
      const body = JSON.stringify({
        id: event.id,
        instance: event.instance,
        event: event.event,
        timeMs: event.timeMs,
        text: event.text,
        data: JSON.parse(event.data),
      });
      const headers = new Headers({ "content-type": "application/json" });
      if (secret !== null) headers.set(SIGNATURE_HEADER, `sha256=${await hmacHex(secret, body)}`);
      return new Request(url, { method: "POST", headers, body });
    },
  };
}

function telegramChannel(base: URL, token: string, chatId: string): NotifyChannel {
  // Joined as text: relative to a base, "bot123:AA…" would parse as a URL scheme.
  const url = new URL(`${base.href.replace(/\/+$/, "")}/bot${token}/sendMessage`);
  return jsonChannel("telegram", url, (event) => ({
    chat_id: chatId,
    text: event.text,
    disable_web_page_preview: true,
  }));
}

function jsonChannel(
  name: NotifyChannelName,
  url: URL,
  body: (event: OutboxEvent) => Record<string, unknown>,
): NotifyChannel {
  return {
    name,
    host: urlHost(url),
    request: (event) =>
      Promise.resolve(
        new Request(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body(event)),
        }),
      ),
  };
}

/** HMAC-SHA256 of `body` keyed by `secret`, lower-case hex. */
export async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return Array.from(new Uint8Array(signature), (b) => b.toString(16).padStart(2, "0")).join("");
}
