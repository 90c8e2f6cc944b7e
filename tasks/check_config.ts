/** `deno run tasks/check_config.ts FILE...`: validates instance configs; exit 2 if any is invalid. */
import { loadConfig } from "../src/app/load_config.ts";
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
        using loaded = await loadConfig(file, { overrides });
        const config = loaded.config;
        const module = config.strategy.module === undefined
          ? ""
          : ` from ${config.strategy.module}`;
        writeLine(
          `ok ${file} (${config.name}: ${config.exchange} ${config.symbol} ${config.timeframe} ${config.strategy.name}${module})`,
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
