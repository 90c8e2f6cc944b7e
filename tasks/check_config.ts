/** `deno run tasks/check_config.ts FILE...`: validates instance configs; exit 2 if any is invalid. */
import { loadInstanceConfig } from "../src/config/load_instance_config.ts";
import { InputError } from "../src/core/errors.ts";
import { newCommand, runTask, writeErrorLine, writeLine } from "./_cli.ts";

if (import.meta.main) {
  await runTask("check_config", async (args) => {
    const program = newCommand(
      "check_config",
      "Validate instance config files (config/strategies/*.yaml)",
    )
      .argument("<files...>", "config files to validate")
      .option(
        "--set <key=value>",
        "override a config key before validating (repeatable)",
        collect,
        [] as string[],
      );
    await program.parseAsync(args, { from: "user" });
    const overrides = program.opts().set;
    const failures: string[] = [];
    for (const file of program.processedArgs[0]) {
      try {
        const config = await loadInstanceConfig(file, { overrides });
        writeLine(
          `ok ${file} (${config.name}: ${config.exchange} ${config.symbol} ${config.timeframe} ${config.strategy.name})`,
        );
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        writeErrorLine(error.message);
        failures.push(file);
      }
    }
    return failures.length > 0 ? 2 : 0;
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
