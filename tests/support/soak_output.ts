/** What a failed `tasks/soak.ts` run tells a test log: its failed checks first and last. */

/**
 * The assertion message for a soak child that exited non-zero: the table's FAIL lines, the whole
 * output, then the FAIL lines again, so a log cut to its head or to its tail still names them.
 */
export function soakFailureMessage(output: Deno.CommandOutput): string {
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  const failed = stdout.split("\n").filter((line) => /\sFAIL\s/.test(line));
  const summary = failed.length > 0 ? failed.join("\n") : "(no FAIL line: see the output)";
  return `failed checks:\n${summary}\n\n${stdout}${stderr}\nfailed checks:\n${summary}`;
}
