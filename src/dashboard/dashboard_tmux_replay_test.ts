/**
 * The real terminal against real traders: two `deno task replay` processes (the live loop on
 * stored candles, paced) write heartbeats, equity, orders and trades into one DB while
 * `deno task dashboard` runs in tmux at 80×24. The DB lives in a temp dir under ./data, because
 * the `dashboard` permission set may read only ./data and ./logs.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { TmuxPane } from "../../tests/support/tmux_pane.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SAMPLE = "data/samples/binance_BTC-USDT_1h.csv";

function task(args: string[], env: Record<string, string>): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", ...args],
    cwd: ROOT,
    env,
    stdout: "null",
    stderr: "null",
  });
}

Deno.test("dashboard task in tmux follows two replay traders writing the same DB", async () => {
  await Deno.mkdir(`${ROOT}/data`, { recursive: true });
  const absolute = await Deno.makeTempDir({ dir: `${ROOT}/data`, prefix: "dashboard_replay_" });
  const dir = `data/${absolute.split("/").pop()}`;
  const env = { DATABASE_URL: `sqlite:./${dir}/trading.db`, LOG_DIR: `./${dir}`, NO_COLOR: "1" };
  const market = ["--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h"];
  const imported = await task(["candles", "import", "--file", SAMPLE, ...market], env).output();
  assert.equal(imported.code, 0, "the sample imports");
  const replay = (config: string, instance: string) =>
    task([
      "replay",
      "--config",
      `config/strategies/${config}.yaml`,
      "--from",
      "2025-03-01",
      "--pace-ms",
      "60",
      "--instance",
      instance,
    ], env).spawn();
  const traders = [replay("sma-cross-btc-1h", "rp-sma"), replay("btc-binance-1h", "rp-macd")];
  const pane = new TmuxPane(ROOT);
  try {
    const dashboard = `${Deno.execPath()} task dashboard --db sqlite:./${dir}/trading.db ` +
      `--log-dir ./${dir} --refresh 200`;
    await pane.start(`${dashboard}; echo EXIT=$?; sleep 60`, 80, 24);
    const first = await pane.waitFor(/rp-sma +REPLAY +running/, "the sma replay running");
    await pane.waitFor(/rp-macd +REPLAY +running/, "the macd replay running");
    const equity = (text: string) => /rp-sma .*?(\d{1,3},\d{3}\.\d\d)/.exec(text)?.[1];
    for (let i = 0; i < 100 && equity(await pane.capture()) === equity(first); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.notEqual(equity(await pane.capture()), equity(first), "equity moves as candles replay");
    for (const line of (await pane.capture()).split("\n")) assert.ok(line.length <= 80, line);
    await pane.keys("Enter");
    await pane.waitFor(/Log \(last \d+ lines\)/, "the detail view");
    await pane.waitFor(/BTC\/USDT 1h close/, "the price chart");
    await pane.keys("Escape");
    await pane.waitFor(/Enter detail/, "the overview after Esc");
    await pane.keys("q");
    const after = await pane.waitFor(/EXIT=\d+/, "the exit");
    assert.match(after, /EXIT=0/);
  } finally {
    await pane.kill();
    for (const trader of traders) {
      try {
        trader.kill("SIGTERM");
      } catch { /* already exited */ }
      await trader.status;
    }
    await Deno.remove(absolute, { recursive: true });
  }
});
