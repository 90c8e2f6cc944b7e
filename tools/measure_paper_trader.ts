/**
 * Figures for the trader (not a test): start one paper trader process against an in-process
 * emulator, step it through N candles and print time to first heartbeat, CPU per candle and RSS.
 * Run: `deno run -A tools/measure_paper_trader.ts [candles=1000]`
 */
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import { spawnTrader, waitFor, withStore, writeConfig } from "../tests/support/trader_process.ts";
import { parseTraderState } from "../src/trader/trader_state.ts";

const HOUR_MS = 3_600_000;
const TICKS_PER_SECOND = 100; // Linux USER_HZ

function procStat(pid: number): { cpuMs: number; rssMb: number } {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))![1]);
  return { cpuMs: (ticks / TICKS_PER_SECOND) * 1000, rssMb: rssKb / 1024 };
}

async function main(count: number): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "measure_trader_" });
  const emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  const url = `sqlite:${dir}/trading.db`;
  const env = { DATABASE_URL: url, LOG_DIR: `${dir}/logs`, BINANCE_API_URL: emulator.url };
  const config = await writeConfig(
    dir,
    "measure",
    "exchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: rsi_macd\n" +
      "risk:\n  stop_loss_pct: 2\n  take_profit_pct: 4\ntrade:\n  heartbeat_seconds: 1\n  close_delay_ms: 0\n",
  );
  const startedMs = performance.now();
  const trader = spawnTrader(config, env, ["--test-clock", `emulator:${emulator.url}`]);
  await waitFor(
    "first heartbeat",
    () => withStore(url, (s) => s.instances.get("measure")?.status === "running"),
  );
  const firstHeartbeatMs = performance.now() - startedMs;
  const pid = trader.child.pid;
  const before = procStat(pid);
  const loopStart = performance.now();
  for (let i = 0; i < count; i++) {
    emulator.advanceCandles(1, "1h");
    const expected = Math.floor(emulator.clock.nowMs() / HOUR_MS) * HOUR_MS - HOUR_MS;
    await waitFor(
      "candle",
      () =>
        withStore(
          url,
          (s) =>
            (parseTraderState(s.instances.get("measure")?.state, "paper")?.kernel.lastCandleMs ??
              0) >= expected,
        ),
      30_000,
    );
  }
  const after = procStat(pid);
  const trades = withStore(url, (s) => s.trades.recent("measure", 100_000).length);
  trader.child.kill("SIGTERM");
  await trader.status;
  await emulator.close();
  await Deno.remove(dir, { recursive: true });
  const line = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
  line(
    `candles ${count}, trades ${trades}, wall ${
      ((performance.now() - loopStart) / 1000).toFixed(1)
    } s`,
  );
  line(`start to first heartbeat: ${firstHeartbeatMs.toFixed(0)} ms (process spawn included)`);
  line(
    `CPU per candle: ${
      ((after.cpuMs - before.cpuMs) / count).toFixed(2)
    } ms (poll, fetch, step, DB writes)`,
  );
  line(
    `RSS after ${count} candles: ${after.rssMb.toFixed(1)} MB (before the loop ${
      before.rssMb.toFixed(1)
    } MB)`,
  );
}

if (import.meta.main) await main(Number(Deno.args[0] ?? 1000));
