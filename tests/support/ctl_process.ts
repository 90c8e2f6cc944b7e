/** Runs `tasks/ctl.ts` as `deno task ctl` does: its own permission set, from the repository root. */
const ROOT = new URL("../../", import.meta.url).pathname;

/** What a finished ctl run printed and how it exited. */
export interface CtlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `deno run -P=ctl tasks/ctl.ts …args` with `env` added; `DATABASE_URL` must lie under ./data. */
export async function runCtl(args: string[], env: Record<string, string>): Promise<CtlResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-P=ctl", "tasks/ctl.ts", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** A fresh folder under ./data (the ctl permission set reads and writes only there). */
export async function dataTempDir(prefix: string): Promise<string> {
  await Deno.mkdir(`${ROOT}data`, { recursive: true });
  return await Deno.makeTempDir({ dir: `${ROOT}data`, prefix });
}
