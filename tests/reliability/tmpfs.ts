/** A small real filesystem for disk-full tests: `mount -t tmpfs` (root only) and a ballast file. */

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

/** Mounts a tmpfs of `sizeKb` at `dir` (created if missing); returns `dir`. */
export async function mountTmpfs(dir: string, sizeKb: number): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  await run("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir]);
  return dir;
}

/** Unmounts `dir`, dropping everything on it; ignores a `dir` that is not mounted. */
export async function unmount(dir: string): Promise<void> {
  await run("umount", [dir]).catch(() => {});
}

/** Writes `dir/ballast` until the filesystem has no byte left; returns its path. */
export async function fillDisk(dir: string): Promise<string> {
  const path = `${dir}/ballast`;
  const file = await Deno.open(path, { write: true, create: true });
  const chunk = new Uint8Array(4096);
  try {
    for (;;) await file.write(chunk);
  } catch (error) {
    if (!(error instanceof Error) || !/No space left|ENOSPC|os error 28/i.test(error.message)) {
      throw error;
    }
  } finally {
    file.close();
  }
  return path;
}
