import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Runs a tiny task built on runTask/newCommand as a real process and returns its exit code and stderr. */
async function runScript(body: string, args: string[], env: Record<string, string> = {}) {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/task.ts`;
    await Deno.writeTextFile(
      script,
      `import { newCommand, runTask } from "${ROOT}tasks/_cli.ts";\n` +
        `import { InputError } from "${ROOT}src/core/errors.ts";\n${body}`,
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-q",
        `--config=${ROOT}deno.json`,
        "--allow-read",
        "--allow-env",
        script,
        ...args,
      ],
      cwd: dir,
      env: { NO_COLOR: "1", LOG_LEVEL: "info", ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const TASK = `
await runTask("demo_task", async (args) => {
  const program = newCommand("demo_task", "test").option("--fail <kind>", "input|runtime");
  await program.parseAsync(args, { from: "user" });
  const kind = program.opts().fail;
  if (kind === "input") throw new InputError("Cannot do it: bad input");
  if (kind === "runtime") throw new Error("disk\\non fire");
  return 0;
});
`;

Deno.test("runTask maps InputError to exit 2, other errors to 1, each as one stderr line", async () => {
  assert.deepEqual(await runScript(TASK, []), { code: 0, stderr: "" });
  assert.deepEqual(await runScript(TASK, ["--fail", "input"]), {
    code: 2,
    stderr: "Cannot do it: bad input\n",
  });
  assert.deepEqual(await runScript(TASK, ["--fail", "runtime"]), {
    code: 1,
    stderr: "Cannot run demo_task: disk on fire\n",
  });
  assert.deepEqual(await runScript(TASK, ["--nope"]), {
    code: 2,
    stderr: "Cannot run demo_task: unknown option '--nope'\n",
  });
  assert.deepEqual(await runScript(TASK, ["extra"]), {
    code: 2,
    stderr: "Cannot run demo_task: too many arguments. Expected 0 arguments but got 1: extra.\n",
  });
});

Deno.test("runTask prints the stack only when LOG_LEVEL=debug", async () => {
  const { code, stderr } = await runScript(TASK, ["--fail", "runtime"], { LOG_LEVEL: "debug" });
  assert.equal(code, 1);
  assert.ok(stderr.startsWith("Cannot run demo_task: disk on fire\nError: disk\n"), stderr);
});
