/**
 * The soak's world: a work directory, synthetic candles, two loopback emulators (the paper one
 * with an accelerated market clock, the live one at wall speed, since one emulator has one clock)
 * and the instance configs.
 */
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import { adaptExample, liveConfig, SOAK_MARKETS } from "./soak_configs.ts";
import { randomWalkCsv, zigzagCsv } from "./synthetic_candles.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Candle history before the market start: enough for every example's warm-up (4h × 73). */
const HISTORY_MS = 25 * DAY_MS;
const EXAMPLES = new URL("../../config/strategies/", import.meta.url);

/** API key and secret of the live instance's emulator account. */
export const LIVE_KEY = { apiKey: "soak-live-key", secret: "soak-live-secret" };
/** Keys the paper instances find in their environment: an account of the paper emulator. */
export const PAPER_KEY = { apiKey: "soak-paper-key", secret: "soak-paper-secret" };

/** One instance of the soak. */
export interface SoakInstance {
  readonly name: string;
  readonly configPath: string;
  readonly mode: "paper" | "live";
}

/** Everything the soak runs against. */
export interface SoakWorld {
  readonly dir: string;
  /** `sqlite:DIR/trading.db`, or `postgres://…?schema=soak_…`. */
  readonly databaseUrl: string;
  readonly logDir: string;
  /** Captured stdout and stderr of every child process. */
  readonly outputDir: string;
  readonly paper: BinanceEmulator;
  readonly live: BinanceEmulator | null;
  readonly instances: readonly SoakInstance[];
  readonly marketStartMs: number;
  readonly historyFromMs: number;
  readonly symbols: readonly string[];
}

/**
 * Builds the world in `dir` for a run of `durationMs` at `speed` market ms per wall ms, on the DB
 * at `databaseUrl` (see `soakDatabaseUrl`).
 */
export async function createSoakWorld(
  dir: string,
  options: {
    durationMs: number;
    speed: number;
    withLive: boolean;
    seed: number;
    databaseUrl: string;
  },
): Promise<SoakWorld> {
  const [logDir, outputDir] = [`${dir}/logs`, `${dir}/output`];
  for (const d of [logDir, outputDir, `${dir}/paper-data`, `${dir}/live-data`, `${dir}/configs`]) {
    await Deno.mkdir(d, { recursive: true });
  }
  const nowMs = Date.now();
  const runMarketMs = options.durationMs * options.speed;
  // Market time stays in the past of the wall clock, so backfill ranges are closed candles.
  const marketStartMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS -
    (Math.ceil(runMarketMs / DAY_MS) + 1) * DAY_MS;
  const historyFromMs = marketStartMs - HISTORY_MS;
  const symbols = [...new Set(SOAK_MARKETS.map((m) => m.symbol))];
  for (const [i, symbol] of symbols.entries()) {
    const market = SOAK_MARKETS.find((m) => m.symbol === symbol)!;
    const csv = randomWalkCsv(
      { fromMs: historyFromMs, toMs: marketStartMs + runMarketMs + 6 * HOUR_MS },
      { basePrice: market.basePrice, seed: options.seed + i },
    );
    await Deno.writeTextFile(`${dir}/paper-data/binance_${symbol.replace("/", "-")}_1m.csv`, csv);
  }
  const paper = new BinanceEmulator({
    startMs: marketStartMs,
    speed: 0,
    dataDir: new URL(`file://${dir}/paper-data/`),
  });
  // A request a paper trader signed with these keys would be served, not refused.
  paper.addAccount(PAPER_KEY.apiKey, PAPER_KEY.secret, { USDT: 10_000 });
  const instances: SoakInstance[] = [];
  for (const market of SOAK_MARKETS) {
    const text = await Deno.readTextFile(new URL(`${market.example}.yaml`, EXAMPLES));
    const name = `soak-${market.example}`;
    const configPath = `${dir}/configs/${name}.yaml`;
    await Deno.writeTextFile(configPath, adaptExample(text, market));
    instances.push({ name, configPath, mode: "paper" });
  }
  let live: BinanceEmulator | null = null;
  if (options.withLive) {
    await Deno.writeTextFile(`${dir}/live-data/binance_BTC-USDT_1m.csv`, zigzagCsv(nowMs, 2));
    live = new BinanceEmulator({
      startMs: nowMs,
      speed: 1,
      dataDir: new URL(`file://${dir}/live-data/`),
      commissionIn: "quote",
    });
    live.addAccount(LIVE_KEY.apiKey, LIVE_KEY.secret, { USDT: 10_000 });
    const configPath = `${dir}/configs/soak-live.yaml`;
    await Deno.writeTextFile(configPath, liveConfig("soak-live"));
    instances.push({ name: "soak-live", configPath, mode: "live" });
  }
  return {
    dir,
    databaseUrl: options.databaseUrl,
    logDir,
    outputDir,
    paper,
    live,
    instances,
    marketStartMs,
    historyFromMs,
    symbols,
  };
}
