/** Task entry-point glue: `.env` loading, commander setup and exit codes (docs/commands.md). */
import { Command } from "@commander-js/extra-typings";

export { reportError, runTask, writeErrorLine, writeLine } from "./_task_run.ts";

/** A commander command whose errors are thrown (not printed) so `runTask` can map them to exit codes. */
export function newCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .exitOverride()
    .showHelpAfterError(false)
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .configureOutput({ outputError: () => {} });
}
