/**
 * The real terminal: `deno task dashboard` in tmux at 80×24 and 160×48 while a writer process
 * heartbeats, records equity and closes trades in the same DB. The DB lives in a temp dir under
 * ./data, because the task's `dashboard` permission set may read only ./data and ./logs.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { TmuxPane } from "../../tests/support/tmux_pane.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const pane = new TmuxPane(ROOT);
const tmux = (...args: string[]) => pane.tmux(...args);
const capture = () => pane.capture();
const waitForPane = (pattern: RegExp, what: string) => pane.waitFor(pattern, what);

async function session(width: number, height: number, dir: string): Promise<void> {
  const deno = Deno.execPath();
  const task =
    `${deno} task dashboard --db sqlite:./${dir}/trading.db --log-dir ./${dir} --refresh 200`;
  await tmux(
    "new-session",
    "-d",
    "-s",
    "dash",
    "-x",
    String(width),
    "-y",
    String(height),
    `${task}; echo EXIT=$?; sleep 60`,
  );
  const first = await waitForPane(/live-1 +PAPER +running/, "the writer's instances");
  assert.match(first, /live-0 +PAPER +running/);
  assert.match(first, /2 running/);
  const equity = (text: string) => /live-0 .*?(10,\d{3}\.00)/.exec(text)?.[1];
  const before = equity(first);
  await waitForPane(new RegExp(`live-0 .*?10,\\d{3}\\.00`), "equity");
  for (let i = 0; i < 50 && equity(await capture()) === before; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.notEqual(equity(await capture()), before, "equity updates as the writer writes");
  const lines = (await capture()).split("\n");
  for (const line of lines) assert.ok(line.length <= width, `line wider than ${width}: ${line}`);

  await tmux("send-keys", "-t", "dash", "Enter");
  const detail = await waitForPane(/Log \(last \d+ lines\)/, "the detail view");
  assert.match(detail, /live-0 {2}PAPER {2}running/);
  assert.match(detail, /Risk drawdown/);
  assert.match(detail, /BTC\/USDT 1h close/);
  assert.match(detail, /[⠁-⣿]/, "a braille price line");
  await waitForPane(/INFO tick \d+/, "the followed log");
  await tmux("send-keys", "-t", "dash", "Escape");
  await waitForPane(/^(?![\s\S]*Log \(last)[\s\S]*NAME +MODE +STATUS/, "the overview after Esc");
  // A key right behind Esc would be read as Alt+key; let the terminal's escape timeout pass.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await tmux("send-keys", "-t", "dash", "/");
  await tmux("send-keys", "-t", "dash", "-l", "live-1");
  await waitForPane(/\/live-1█/, "the filter prompt");
  await tmux("send-keys", "-t", "dash", "Enter");
  const filtered = await waitForPane(/filter "live-1"/, "the filtered table");
  assert.doesNotMatch(filtered, /live-0 +PAPER/);
  await tmux("send-keys", "-t", "dash", "q");
  const after = await waitForPane(/EXIT=\d+/, "the exit");
  assert.match(after, /EXIT=0/);
  assert.doesNotMatch(after, /NAME +MODE/, "the alternate screen is gone");
  await tmux("kill-session", "-t", "dash");
}

Deno.test("dashboard task in tmux shows live rows, detail, filter and exits cleanly", async () => {
  await Deno.mkdir(`${ROOT}/data`, { recursive: true });
  const absolute = await Deno.makeTempDir({ dir: `${ROOT}/data`, prefix: "dashboard_tmux_" });
  const dir = `data/${absolute.split("/").pop()}`;
  const writer = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "tests/support/dashboard_writer.ts",
      `sqlite:./${dir}/trading.db`,
      "--prefix",
      "live",
      "--instances",
      "2",
      "--interval-ms",
      "150",
      "--duration-ms",
      "120000",
      "--log-dir",
      dir,
    ],
    cwd: ROOT,
    stdout: "null",
  }).spawn();
  try {
    for (const [width, height] of [[80, 24], [160, 48]]) await session(width, height, dir);
  } finally {
    writer.kill("SIGTERM");
    await writer.status;
    await pane.kill();
    await Deno.remove(absolute, { recursive: true });
  }
});
