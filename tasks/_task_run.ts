/**
 * Task entry-point glue without the command-line parser: `.env` loading, output lines and exit
 * codes (docs/commands.md). `_cli.ts` adds commander; a task that parses its own common case
 * (`backtest`) imports this alone and reaches its work without loading commander.
 */
import { loadEnvFile } from "../src/config/env.ts";
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_RUNTIME, InputError } from "../src/core/errors.ts";

const encoder = new TextEncoder();

/** Writes one line to stderr, synchronously so it is out before `Deno.exit`. */
export function writeErrorLine(text: string): void {
  Deno.stderr.writeSync(encoder.encode(`${text}\n`));
}

/** Writes one line to stdout. */
export function writeLine(text: string): void {
  Deno.stdout.writeSync(encoder.encode(`${text}\n`));
}

/**
 * Runs a task: loads `.env`, runs `main(Deno.args)`, then exits with its code (default 0).
 * Bad input (InputError, usage) exits 2 and any other error 1, each as one stderr line.
 */
export async function runTask(
  name: string,
  main: (args: string[]) => Promise<number | void> | number | void,
): Promise<never> {
  let code: number;
  try {
    const { warning } = await loadEnvFile(".env");
    if (warning) writeErrorLine(`Warning: ${warning}`);
    code = (await main(Deno.args)) ?? EXIT_OK;
  } catch (error) {
    code = reportError(name, error);
  }
  Deno.exit(code);
}

/** A commander error (usage, help), known by its `commander.*` code without loading commander. */
function isCommanderError(error: unknown): error is Error & { code: string; exitCode: number } {
  if (!(error instanceof Error)) return false;
  const { code, exitCode } = error as Error & { code?: unknown; exitCode?: unknown };
  return typeof code === "string" && code.startsWith("commander.") && typeof exitCode === "number";
}

/** Prints `error` as one line (plus its stack when LOG_LEVEL=debug) and returns its exit code. */
export function reportError(name: string, error: unknown): number {
  if (isCommanderError(error)) {
    if (error.exitCode === 0) return EXIT_OK;
    // Commander already wrote the help text to stderr (a command run without its subcommand).
    if (error.code === "commander.help") return EXIT_BAD_INPUT;
    writeErrorLine(oneLine(`Cannot run ${name}: ${error.message.replace(/^error: /, "")}`));
    return EXIT_BAD_INPUT;
  }
  const { line, code } = errorLine(name, error);
  writeErrorLine(line);
  if (debugEnabled() && error instanceof Error && error.stack) {
    writeErrorLine(error.stack);
  }
  return code;
}

/**
 * The one line and exit code for a task's error: bad input (InputError, a refusal of the
 * permission set) 2, anything else 1.
 */
export function errorLine(name: string, error: unknown): { line: string; code: number } {
  const message = error instanceof Error ? error.message : String(error);
  // Our own "Cannot …" line already says what to do, unless it carries Deno's raw advice.
  const ours = message.startsWith("Cannot ") && !RAW_PERMISSION_ADVICE.test(message);
  const denied = ours ? null : permissionAdvice(name, error);
  if (denied !== null) return { line: denied, code: EXIT_BAD_INPUT };
  return {
    line: oneLine(message.startsWith("Cannot ") ? message : `Cannot run ${name}: ${message}`),
    code: error instanceof InputError ? EXIT_BAD_INPUT : EXIT_RUNTIME,
  };
}

const RAW_PERMISSION_ADVICE = /run again with the --allow-\w+ flag/;

/** What to do about each kind of access a permission set refused. */
const PERMISSION_ADVICE: Readonly<Record<string, string>> = {
  write: 'write under ./data or ./logs instead, or add the path to the set\'s "write" list',
  read: 'use a file inside the folders the set lists, or add the path to its "read" list',
  net: 'add the host to the set\'s "net" list (docs/configuration.md)',
  env: 'add the variable to the set\'s "env" list',
};

/**
 * Deno's "Requires write access to "X", run again with the --allow-write flag" (anywhere in the
 * error's cause chain) as one line for a `deno task` user: what was refused, by which permission
 * set, and what to do instead. Null for any other error.
 */
export function permissionAdvice(name: string, error: unknown): string | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const match = /Requires (\w+) access to "([^"]*)", run again with the --allow-\w+ flag/
      .exec(e.message);
    if (!(e instanceof Deno.errors.NotCapable) && match === null) continue;
    const [kind, target] = match ? [match[1], match[2]] : ["this", ""];
    const what = target === "" ? `${kind} access` : `${kind} access to "${target}"`;
    const advice = PERMISSION_ADVICE[kind] ?? "add it to the set";
    return oneLine(
      `Cannot run ${name}: ${what} is outside this task's permission set ` +
        `(deno.json "permissions"); ${advice}`,
    );
  }
  return null;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function debugEnabled(): boolean {
  try {
    return Deno.env.get("LOG_LEVEL") === "debug";
  } catch {
    return false; // no env permission: stay terse
  }
}
