import assert from "node:assert/strict";
import { InputError } from "../core/errors.ts";
import { instanceEvent } from "./events.ts";
import { notifyChannels } from "./channels.ts";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";

Deno.test("notifyChannels builds Telegram's sendMessage request on the overridden base URL", async () => {
  const [telegram] = notifyChannels({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_CHAT_ID: "-1001",
    TELEGRAM_API_URL: "http://127.0.0.1:9999",
  });
  assert.equal(telegram.name, "telegram");
  assert.equal(telegram.host, "127.0.0.1:9999");
  const event = instanceEvent("btc", "paused", { timeMs: 1, key: "1", text: "paused by ctl" });
  const request = await telegram.request(event);
  assert.equal(request.url, `http://127.0.0.1:9999/bot${TOKEN}/sendMessage`);
  const body = await request.json();
  assert.equal(body.chat_id, "-1001");
  assert.equal(body.text, "btc: paused by ctl");
});

Deno.test("notifyChannels defaults Telegram to api.telegram.org and names each channel's host", () => {
  const channels = notifyChannels({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_CHAT_ID: "42",
    DISCORD_WEBHOOK_URL: "https://discord.com/api/webhooks/1/x",
    SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/X",
    NOTIFY_WEBHOOK_URL: "http://example.org:8080/hook",
  });
  assert.deepEqual(channels.map((c) => [c.name, c.host]), [
    ["webhook", "example.org:8080"],
    ["telegram", "api.telegram.org"],
    ["discord", "discord.com"],
    ["slack", "hooks.slack.com"],
  ]);
});

Deno.test("notifyChannels refuses a non-http(s) webhook URL and a malformed Telegram token in one line", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ NOTIFY_WEBHOOK_URL: "ftp://example.org/x" }, /NOTIFY_WEBHOOK_URL must be an http\(s\) URL/],
    [{ SLACK_WEBHOOK_URL: "hooks.slack.com/x" }, /SLACK_WEBHOOK_URL must be an http\(s\) URL/],
    [{ TELEGRAM_BOT_TOKEN: "12345", TELEGRAM_CHAT_ID: "1" }, /TELEGRAM_BOT_TOKEN must look like/],
    [{ TELEGRAM_BOT_TOKEN: TOKEN }, /TELEGRAM_CHAT_ID is not/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => notifyChannels(env), (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  }
});
