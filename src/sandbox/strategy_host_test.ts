import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { StrategyRuntimeError } from "../strategy_runtime/checked_strategy.ts";
import { StrategyHost, StrategyLoadError } from "./strategy_host.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const API =
  `import { defineStrategy, enter, exit, NO_INTENTS, z } from "../../src/strategy_api.ts";\n`;

const MODULES: Record<string, string> = {
  "echo.ts": `${API}export default defineStrategy({
  name: "echo",
  description: "enters on a green candle while flat, exits on a red one while holding",
  params: z.object({ hang_at: z.number().default(-1) }),
  create: (p) => ({
    name: "echo",
    warmupCandles: 2,
    onCandle(candle, context) {
      if (candle.openTimeMs === p.hang_at) while (true) { /* a bug */ }
      if (context.position === null && candle.close > candle.open) {
        return enter("green", { stopLossPrice: candle.low });
      }
      if (context.position !== null && candle.close < candle.open) return exit("red");
      return NO_INTENTS;
    },
  }),
});
`,
  "spin.ts": `${API}while (true) { /* top-level loop */ }\n`,
};

async function withModules(fn: (dir: string) => Promise<void>) {
  const dir = `strategies/tmp_host_${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(`${ROOT}${dir}`);
  try {
    for (const [file, text] of Object.entries(MODULES)) {
      await Deno.writeTextFile(`${ROOT}${dir}/${file}`, text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(`${ROOT}${dir}`, { recursive: true });
  }
}

const candle = (openTimeMs: number, open: number, close: number) => ({
  openTimeMs,
  open,
  high: Math.max(open, close) + 1,
  low: Math.min(open, close) - 1,
  close,
  volume: 1,
});

Deno.test("StrategyHost answers synchronously with the module's own decisions", async () => {
  await withModules(async (dir) => {
    using host = await StrategyHost.open(`${dir}/echo.ts`);
    assert.equal(host.name, "echo");
    assert.deepEqual(host.checkParams({}), { problems: [], params: { hang_at: -1 } });
    const strategy = host.createStrategy({ hang_at: -1 }, "1h");
    assert.equal(strategy.warmupCandles, 2);
    const flat = { position: null, closeTimeMs: 3_600_000 };
    assert.deepEqual(strategy.onCandle(candle(0, 10, 11), flat), [
      { kind: "enter", reason: "green", stopLossPrice: 9 },
    ]);
    assert.deepEqual(strategy.onCandle(candle(0, 11, 10), flat), []);
  });
});

Deno.test("StrategyHost stops a strategy that does not answer, and one that never loads", async () => {
  await withModules(async (dir) => {
    using host = await StrategyHost.open(`${dir}/echo.ts`, { limits: { callMs: 300 } });
    const strategy = host.createStrategy({ hang_at: 7_200_000 }, "1h");
    const flat = { position: null, closeTimeMs: 0 };
    assert.throws(
      () => strategy.onCandle(candle(7_200_000, 1, 1), flat),
      (error: Error) =>
        error instanceof StrategyRuntimeError &&
        /did not answer within 300 ms on candle 1970-01-01T02:00:00\.000Z; stopped it/.test(
          error.message,
        ),
    );
    assert.throws(() => strategy.onCandle(candle(0, 1, 1), flat), /was stopped/);
    await assert.rejects(
      StrategyHost.open(`${dir}/spin.ts`, { limits: { openMs: 500 } }),
      (error: Error) =>
        error instanceof StrategyLoadError &&
        /did not finish loading within 500 ms/.test(error.message),
    );
  });
});
