/**
 * `deno task new-strategy NAME`: writes `strategies/NAME.ts`, a small working strategy with every
 * part of the contract explained, and `strategies/NAME_test.ts`, which backtests it on the
 * bundled candles. Refuses a bad name or an existing file (exit 2); never overwrites.
 */
import { InputError } from "../src/core/errors.ts";
import {
  NEW_STRATEGY_NAME,
  strategyTemplate,
  strategyTestTemplate,
} from "../src/strategy_runtime/strategy_template.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";

const DIR = "strategies";

async function main(args: string[]): Promise<void> {
  const program = newCommand("new-strategy", "Write a new strategy and its test under strategies/")
    .argument("<name>", "strategy name: lower-case letters, digits and _ (e.g. my_idea)");
  await program.parseAsync(args, { from: "user" });
  const [name] = program.processedArgs;
  if (!NEW_STRATEGY_NAME.test(name)) {
    throw new InputError(
      `Cannot create strategy "${name}": a name is a lower-case letter, then lower-case ` +
        "letters, digits or _ (at most 64), e.g. my_idea",
    );
  }
  const files = [
    { path: `${DIR}/${name}.ts`, text: strategyTemplate(name) },
    { path: `${DIR}/${name}_test.ts`, text: strategyTestTemplate(name) },
  ];
  for (const { path } of files) {
    if (await exists(path)) {
      throw new InputError(`Cannot create strategy "${name}": ${path} already exists`);
    }
  }
  await Deno.mkdir(DIR, { recursive: true });
  for (const { path, text } of files) await Deno.writeTextFile(path, text, { createNew: true });
  writeLine(`Wrote ${files.map((file) => file.path).join(" and ")}. Next:`);
  writeLine(`  deno test -A ${DIR}/${name}_test.ts      # backtests it on the bundled candles`);
  writeLine(`  then in a config: strategy: { module: ${DIR}/${name}.ts, params: {...} }`);
  writeLine("  deno task check-strategy --config FILE   # determinism, warm-up, exceptions");
  writeLine("  deno task backtest --config FILE         # see docs/strategies.md");
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

if (import.meta.main) await runTask("new-strategy", main);
