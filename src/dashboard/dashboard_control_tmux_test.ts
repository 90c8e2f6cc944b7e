/**
 * `deno task dashboard-ctl` in tmux beside a real paper trader process: select the instance,
 * press p, confirm with y, and see the trader's acknowledgement on the status line. The DB lies
 * under ./data, the only place the dashboard-ctl permission set may write.
 */
import assert from "node:assert/strict";
import { PAPER_SMA_CONFIG } from "../../tests/support/paper_trader.ts";
import { fileURLToPath } from "node:url";
import { TmuxPane } from "../../tests/support/tmux_pane.ts";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import { dataTempDir } from "../../tests/support/ctl_process.ts";
import {
  spawnTrader,
  waitFor,
  withStore,
  writeConfig,
} from "../../tests/support/trader_process.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NAME = "dash-ctl";
const PAPER = PAPER_SMA_CONFIG;

Deno.test("dashboard-ctl in tmux pauses the selected instance after y and shows the acknowledgement", async () => {
  const absolute = await dataTempDir("dashboard_control_");
  const dir = `data/${absolute.split("/").pop()}`;
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  const url = `sqlite:${absolute}/trading.db`;
  const env = { DATABASE_URL: url, LOG_DIR: `${absolute}/logs`, BINANCE_API_URL: emulator.url };
  const config = await writeConfig(absolute, NAME, PAPER);
  const trader = spawnTrader(config, env, ["--test-clock", `emulator:${emulator.url}`]);
  const pane = new TmuxPane(ROOT);
  const keys = (...args: string[]) => pane.tmux("send-keys", "-t", "dash", ...args);
  try {
    await waitFor(
      "trader running",
      () => withStore(url, (s) => s.instances.get(NAME)?.status === "running"),
    );
    const task = `${Deno.execPath()} task dashboard-ctl --db sqlite:./${dir}/trading.db ` +
      `--log-dir ./${dir}/logs --refresh 200`;
    await pane.start(`${task}; echo EXIT=$?; sleep 60`, 120, 30);
    const first = await pane.waitFor(/dash-ctl +PAPER +running/, "the trader's row");
    assert.match(first, /p pause {2}r resume {2}t stop {2}e exit/);

    await keys("p");
    await pane.waitFor(/pause dash-ctl\? \(no new entries until resumed\) {2}y: yes/, "confirm");
    await keys("n");
    await pane.waitFor(/pause dash-ctl: cancelled/, "the cancel");
    assert.equal(withStore(url, (s) => s.commands.pending(NAME).length), 0);

    await keys("p");
    await pane.waitFor(/pause dash-ctl\?/, "confirm");
    await keys("y");
    await pane.waitFor(
      /dash-ctl: pause acknowledged \d\d:\d\d:\d\d: entries paused \(asked by dashboard:/,
      "the acknowledgement",
    );
    await pane.waitFor(/dash-ctl +PAPER +paused/, "the paused row");
    assert.equal(withStore(url, (s) => s.instances.get(NAME)?.status), "paused");

    await keys("q");
    assert.match(await pane.waitFor(/EXIT=\d+/, "the exit"), /EXIT=0/);
  } finally {
    await pane.kill();
    trader.child.kill("SIGTERM");
    await trader.status;
    await Deno.remove(absolute, { recursive: true });
  }
});
