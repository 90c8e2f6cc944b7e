import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  strategyTemplate,
  strategyTestTemplate,
} from "../src/strategy_runtime/strategy_template.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

async function run(args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

const newStrategy = (name: string) => run(["task", "-q", "new-strategy", name]);

Deno.test("new-strategy writes a strategy whose own generated test passes, then refuses to overwrite it", async () => {
  const name = `tmp_new_${crypto.randomUUID().slice(0, 8)}`;
  const files = [`strategies/${name}.ts`, `strategies/${name}_test.ts`].map((f) => `${ROOT}${f}`);
  try {
    const created = await newStrategy(name);
    assert.equal(created.code, 0, created.stderr);
    assert.match(
      created.stdout,
      new RegExp(`Wrote strategies/${name}.ts and strategies/${name}_test.ts`),
    );
    assert.equal(await Deno.readTextFile(files[0]), strategyTemplate(name));
    const tested = await run(["test", "-A", "-q", files[1]]);
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /2 passed \| 0 failed/);
    await Deno.writeTextFile(files[0], "// my edits\n", { append: true });
    const again = await newStrategy(name);
    assert.equal(again.code, 2);
    assert.equal(
      again.stderr.trim(),
      `Cannot create strategy "${name}": strategies/${name}.ts already exists`,
    );
    assert.match(
      await Deno.readTextFile(files[0]),
      /\/\/ my edits\n$/,
      "the user's file is untouched",
    );
  } finally {
    for (const file of files) await Deno.remove(file).catch(() => {});
  }
});

Deno.test("new-strategy refuses a bad name with one line and exit 2, writing nothing", async () => {
  for (const name of ["Bad-Name", "9lives", "../escape", "a".repeat(65)]) {
    const result = await newStrategy(name);
    assert.equal(result.code, 2, name);
    assert.match(
      result.stderr.trim(),
      /^Cannot create strategy ".*": a name is a lower-case letter/,
    );
    assert.equal(result.stderr.trim().split("\n").length, 1);
  }
  const names = [...Deno.readDirSync(`${ROOT}strategies`)].map((entry) => entry.name);
  assert.ok(!names.some((n) => /bad|lives|escape|aaaa/i.test(n)), names.join(", "));
});

Deno.test("the shipped example is exactly what new-strategy writes", async () => {
  assert.equal(
    await Deno.readTextFile(`${ROOT}strategies/example.ts`),
    strategyTemplate("example"),
  );
  assert.equal(
    await Deno.readTextFile(`${ROOT}strategies/example_test.ts`),
    strategyTestTemplate("example"),
  );
});
