/** Bad user strategy modules: each is a one-line config error naming the file, line and key. */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../core/errors.ts";
import { loadConfig } from "./load_config.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const API = `import { defineStrategy, NO_INTENTS, z } from "../../src/strategy_api.ts";\n`;
const GOOD = `${API}export default defineStrategy({
  name: "good",
  description: "never trades",
  params: z.object({ period: z.number().int().min(2).max(50).default(14) }),
  create: (p) => ({ name: "good", warmupCandles: p.period, onCandle: () => NO_INTENTS }),
});
`;

const MODULES: Record<string, string> = {
  "good.ts": GOOD,
  "syntax.ts": `${API}export default defineStrategy({\n  name: "x",,\n});\n`,
  "no_default.ts": `${API}export const strategy = 1;\n`,
  "shape.ts": `export default { name: "shape", create() {} };\n`,
  "version.ts": GOOD.replace(
    "export default defineStrategy({",
    "export default {\n  ...defineStrategy({",
  )
    .replace(/\}\);\n$/, '}),\n  apiVersion: "2.0.0",\n};\n'),
  "bad_name.ts": GOOD.replace('name: "good"', 'name: "Bad Name"'),
  "throws.ts": `${API}throw new RangeError("boom at load");\n`,
  "escape.ts": `import "../../tasks/_cli.ts";\n${GOOD.replace(API, API)}`,
};

async function withModules(fn: (dir: string, tmp: string) => Promise<void>) {
  const dir = `strategies/tmp_bad_${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(`${ROOT}${dir}`);
  const tmp = await Deno.makeTempDir();
  try {
    for (const [file, text] of Object.entries(MODULES)) {
      await Deno.writeTextFile(`${ROOT}${dir}/${file}`, text);
    }
    await fn(dir, tmp);
  } finally {
    await Deno.remove(`${ROOT}${dir}`, { recursive: true });
    await Deno.remove(tmp, { recursive: true });
  }
}

async function configError(tmp: string, strategy: string): Promise<string> {
  const path = `${tmp}/c.yaml`;
  await Deno.writeTextFile(
    path,
    `name: c\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n${strategy}`,
  );
  const error = await loadConfig(path).then(
    (loaded) => {
      loaded[Symbol.dispose]();
      throw new Error("loaded");
    },
    (error) => error,
  );
  assert.ok(error instanceof ConfigError, String(error));
  assert.equal(error.exitCode, 2);
  assert.equal(error.message.split("\n").length, 1, error.message);
  return error.message.replace(`Cannot load config "${path}": `, "");
}

Deno.test("loadConfig opens a good module, fills its defaults and names it by its definition", async () => {
  await withModules(async (dir, tmp) => {
    const path = `${tmp}/ok.yaml`;
    await Deno.writeTextFile(
      path,
      `name: ok\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  module: ${dir}/good.ts\n`,
    );
    using loaded = await loadConfig(path);
    assert.deepEqual(loaded.config.strategy, {
      name: "good",
      module: `${dir}/good.ts`,
      params: { period: 14 },
    });
    const strategy = loaded.createStrategy(loaded.config);
    assert.equal(strategy.warmupCandles, 14);
  });
});

Deno.test("loadConfig refuses each bad strategy module with the file, line and key", async () => {
  await withModules(async (dir, tmp) => {
    const m = (file: string) => `  module: ${dir}/${file}\n`;
    const cases: [string, RegExp][] = [
      [
        "  module: ../evil.ts\n",
        /^line 6: strategy\.module: must be a \.ts or \.js file under strategies\/.*\(got "\.\.\/evil\.ts"\)$/,
      ],
      [
        "  module: src/strategies/rsi.ts\n",
        /^line 6: strategy\.module: must be a \.ts or \.js file under strategies\//,
      ],
      [
        "  module: /etc/passwd\n",
        /^line 6: strategy\.module: must be a \.ts or \.js file under strategies\//,
      ],
      [`  module: ${dir}/x.py\n`, /^line 6: strategy\.module: must be a \.ts or \.js file/],
      [
        m("missing.ts"),
        new RegExp(`^line 6: strategy\\.module: ${dir}/missing\\.ts: no such file`),
      ],
      [
        m("syntax.ts"),
        new RegExp(`^line 6: strategy\\.module: ${dir}/syntax\\.ts: .*${dir}/syntax\\.ts:3:`),
      ],
      [m("no_default.ts"), /strategy\.module: .*no_default\.ts: has no default export/],
      [m("shape.ts"), /shape\.ts: default export has no apiVersion; wrap it in defineStrategy\(\)/],
      [
        m("version.ts"),
        /version\.ts: built for strategy API 2\.0\.0, but this system provides 1\.\d+\.\d+/,
      ],
      [
        m("bad_name.ts"),
        /bad_name\.ts: name must be lower-case letters, digits and _ \(got "Bad Name"\)/,
      ],
      [m("throws.ts"), /throws\.ts: .*RangeError: boom at load/],
      [
        m("escape.ts"),
        /escape\.ts: cannot import .*tasks\/_cli\.ts: a strategy may import only files under strategies\//,
      ],
      [
        `  name: rsi\n${m("good.ts")}`,
        /^line 7: strategy\.module: set either strategy\.name or strategy\.module, not both$/,
      ],
      [
        "  params: {}\n",
        /^line 5: strategy\.name: is required: a built-in strategy \(.*\), or set strategy\.module/,
      ],
      [`${m("good.ts")}  params:\n    period: 99\n`, /^line 8: strategy\.params\.period: .*50/],
      [`${m("good.ts")}  params:\n    peroid: 9\n`, /^line 8: strategy\.params\.peroid: .*period/],
    ];
    for (const [strategy, expected] of cases) {
      assert.match(await configError(tmp, strategy), expected, strategy);
    }
  });
});
