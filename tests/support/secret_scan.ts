/**
 * The secret scan of the leak test, the live trader test and the soak: searches printed text and
 * every byte of files (logs, DB pages, WAL frames, reports) for API keys and secrets.
 */

/** What a scan looked at and what it found. */
export interface SecretScan {
  /** `<where>: <secret>` for each secret found; empty when nothing leaked. */
  readonly hits: string[];
  /** Every file read, so that a test can check the scan covered what it meant to (a WAL, a log). */
  readonly files: string[];
}

/** Every file at or under `path` (none when it does not exist). */
export async function filesUnder(path: string): Promise<string[]> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  if (info.isFile) return [path];
  if (!info.isDirectory) return [];
  const files: string[] = [];
  for await (const entry of Deno.readDir(path)) {
    files.push(...await filesUnder(`${path}/${entry.name}`));
  }
  return files;
}

/**
 * Where each of `secrets` shows up: in `texts` (label → what a process printed) and, read as raw
 * bytes, in every file at or under `paths`. A `.env` file holds them on purpose and is skipped.
 */
export async function scanForSecrets(
  secrets: readonly string[],
  where: { texts?: Record<string, string>; paths?: readonly string[] },
): Promise<SecretScan> {
  const hits: string[] = [];
  for (const [label, text] of Object.entries(where.texts ?? {})) {
    for (const secret of secrets) if (text.includes(secret)) hits.push(`${label}: ${secret}`);
  }
  const files: string[] = [];
  for (const root of where.paths ?? []) {
    for (const path of await filesUnder(root)) {
      if (path.endsWith("/.env")) continue;
      let bytes: Uint8Array;
      try {
        bytes = await Deno.readFile(path);
      } catch (error) {
        // A WAL checkpointed away between the listing and the read.
        if (error instanceof Deno.errors.NotFound) continue;
        throw error;
      }
      files.push(path);
      const text = new TextDecoder("latin1").decode(bytes);
      for (const secret of secrets) if (text.includes(secret)) hits.push(`${path}: ${secret}`);
    }
  }
  return { hits, files };
}
