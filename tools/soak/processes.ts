/** Child processes of the soak and the kill campaign: `deno run -A <task>` with output to a file. */

const ROOT = new URL("../../", import.meta.url).pathname;

/** A spawned task whose stdout and stderr go to `outputPath`. */
export interface TaskProcess {
  readonly name: string;
  readonly child: Deno.ChildProcess;
  /** Resolves when the process ended and its output is written. */
  readonly done: Promise<Deno.CommandStatus>;
  readonly outputPath: string;
  /** True until the process has exited. */
  alive(): boolean;
}

/** Spawns `deno run -A <ROOT>/<script> ...args`, appending its output to `outputPath`. */
export function spawnTask(
  name: string,
  options: { script: string; args: string[]; env: Record<string, string>; outputPath: string },
): TaskProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}${options.script}`, ...options.args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let exited = false;
  const file = Deno.openSync(options.outputPath, { append: true, create: true });
  const copy = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) file.writeSync(chunk);
  };
  const done = Promise.all([copy(child.stdout), copy(child.stderr), child.status]).then(
    ([, , status]) => {
      exited = true;
      file.close();
      return status;
    },
  );
  return { name, child, done, outputPath: options.outputPath, alive: () => !exited };
}

/** Sends `signal` unless the process already exited. */
export function signalTask(task: TaskProcess, signal: Deno.Signal): void {
  if (!task.alive()) return;
  try {
    task.child.kill(signal);
  } catch { /* exited meanwhile */ }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit status. */
export async function stopTask(task: TaskProcess, graceMs = 10_000): Promise<Deno.CommandStatus> {
  signalTask(task, "SIGTERM");
  const timer = setTimeout(() => signalTask(task, "SIGKILL"), graceMs);
  try {
    return await task.done;
  } finally {
    clearTimeout(timer);
  }
}
