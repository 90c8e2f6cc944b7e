/** Reads a config file as text: it must exist, be a file, be non-empty, at most 1 MB and UTF-8. */
import { configError } from "./config_problem.ts";

/** Largest config file we accept, in bytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Returns the file's text, or rejects with a one-line `ConfigError` saying why it cannot be read.
 * The file is read synchronously: it is at most 1 MB, and the two async round trips cost a
 * backtest about a millisecond more before its first candle.
 */
export function readConfigFile(path: string): Promise<string> {
  return Promise.try(() => readConfigText(path));
}

function readConfigText(path: string): string {
  const fail = (message: string, cause?: unknown) => configError(path, [{ message }], { cause });
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    throw fail(fileErrorReason(error), error);
  }
  if (info.isDirectory) throw fail("is a directory, not a file");
  if (!info.isFile) throw fail("is not a regular file");
  if (info.size > MAX_CONFIG_BYTES) {
    throw fail(`file is larger than 1 MB (${info.size} bytes)`);
  }
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (error) {
    throw fail(fileErrorReason(error), error);
  }
  if (bytes.length === 0) throw fail("file is empty");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw fail("file is not valid UTF-8 text", error);
  }
}

/** A short reason for a failed stat or read. */
export function fileErrorReason(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "file not found";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotCapable) return "no read permission (Deno --allow-read)";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory, not a file";
  return error instanceof Error ? error.message : String(error);
}
