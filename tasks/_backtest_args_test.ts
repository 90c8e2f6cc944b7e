import assert from "node:assert/strict";
import fc from "fast-check";
import { readArgs, readBacktestArgs, readPlainArgs } from "./_backtest_args.ts";

const VALUES = [
  "a.yaml",
  "2024-01-01",
  "risk.stake_pct=5",
  "x=1..3:1",
  "",
  "data/r.json",
  "=",
  "1",
];
const PLAIN = [
  "--config",
  "--from",
  "--to",
  "--json",
  "--html",
  "--csv",
  "--set",
  "--sweep",
  "--rank-by",
];

Deno.test("plain backtest command lines give exactly commander's options", async () => {
  const pair = fc.tuple(fc.constantFrom(...PLAIN), fc.constantFrom(...VALUES));
  const line = fc.tuple(
    fc.constantFrom(...VALUES.filter((v) => v !== "")),
    fc.array(fc.oneof(pair, fc.constant(["--no-save"] as [string])), { maxLength: 8 }),
  ).map(([config, rest]) => [...rest.flat(), "--config", config]);
  await fc.assert(
    fc.asyncProperty(line, async (args) => {
      const plain = readPlainArgs(args);
      assert.notEqual(plain, null, args.join(" "));
      assert.deepEqual(plain, await readArgs(args), args.join(" "));
    }),
    { numRuns: 300 },
  );
});

Deno.test("anything but a plain command line is left to commander, with its usage errors", async () => {
  for (
    const args of [
      [],
      ["--from", "2024-01-01"],
      ["--config"],
      ["--config", "-x.yaml"],
      ["--config=a.yaml"],
      ["--config", "a.yaml", "extra"],
      ["--config", "a.yaml", "--max-combinations", "5"],
      ["--config", "a.yaml", "--unknown", "1"],
      ["--help"],
      ["--config", "a.yaml", "--"],
    ]
  ) {
    assert.equal(readPlainArgs(args), null, args.join(" "));
  }
  assert.deepEqual(
    await readBacktestArgs(["--config=a.yaml", "--max-combinations", "5"]),
    await readArgs(["--config", "a.yaml", "--max-combinations", "5"]),
  );
  assert.equal(
    (await readBacktestArgs(["--config", "a.yaml", "--max-combinations", "5"])).maxCombinations,
    5,
  );
  await assert.rejects(readBacktestArgs([]), { code: "commander.missingMandatoryOptionValue" });
  await assert.rejects(readBacktestArgs(["--config", "a.yaml", "--bogus"]), {
    code: "commander.unknownOption",
  });
  await assert.rejects(
    readBacktestArgs(["--config", "a.yaml", "--max-combinations", "0"]),
    /Cannot read --max-combinations: must be a positive integer \(got "0"\)/,
  );
});
