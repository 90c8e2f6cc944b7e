/**
 * The trade task under its own permission set (`-P=trade`, as `deno task trade` runs it) with a
 * webhook on a host the set does not allow: trading goes on, the events wait in the outbox, and
 * the failure names the missing host and what to do.
 */
import assert from "node:assert/strict";
import { PAPER_SMA_CONFIG } from "../tests/support/paper_trader.ts";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import { NotifyReceiver } from "../tests/support/notify_receiver.ts";
import { dataTempDir } from "../tests/support/ctl_process.ts";
import { waitFor, withStore, writeConfig } from "../tests/support/trader_process.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const NAME = "notify-perm";
const PAPER = PAPER_SMA_CONFIG;

Deno.test("trade task: a webhook host outside the trade permission set is named, and trading goes on", async () => {
  const dir = await dataTempDir("notify_perm_");
  const relative = `data/${dir.split("/").pop()}`;
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  await using receiver = new NotifyReceiver();
  // "localhost" reaches the receiver but is not in the set, which allows 127.0.0.1 only.
  const host = `localhost:${new URL(receiver.url).port}`;
  await writeConfig(dir, NAME, PAPER);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-q",
      "-P=trade",
      "tasks/trade.ts",
      "--config",
      `${relative}/${NAME}.yaml`,
      "--test-clock",
      `emulator:${emulator.url}`,
    ],
    cwd: ROOT,
    env: {
      NO_COLOR: "1",
      DATABASE_URL: `sqlite:${relative}/trading.db`,
      LOG_DIR: `${relative}/logs`,
      BINANCE_API_URL: emulator.url,
      NOTIFY_WEBHOOK_URL: `http://${host}/hook`,
      NOTIFY_RETRY_BASE_MS: "50",
    },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const url = `sqlite:${dir}/trading.db`;
  try {
    await waitFor(
      "running",
      () => withStore(url, (s) => s.instances.get(NAME)?.status === "running"),
    );
    const failed = await waitFor(
      "a failed delivery",
      () => withStore(url, (s) => s.outbox.pending(NAME).find((row) => row.attempts > 0)),
    );
    assert.equal(
      failed.lastError,
      `net access to ${host} is not allowed; add "${host}" to deno.json permissions.trade.net ` +
        "(deno task compose adds it to the container's)",
    );
    assert.equal(receiver.attempts, 0);
  } finally {
    child.kill("SIGTERM");
    assert.equal((await child.status).code, 0, await stderr);
  }
  // At start the trader already warned, naming the host (the log is flushed by the stop).
  const warnings = (await Deno.readTextFile(`${dir}/logs/${NAME}.jsonl`)).trim().split("\n")
    .map((line) => JSON.parse(line))
    .filter((entry) => /cannot be sent: net access to .* is not allowed/.test(entry.message));
  assert.deepEqual(warnings.map((entry) => entry.properties.host), [host]);
  await Deno.remove(dir, { recursive: true });
});
