/** `deno task bench`: every suite's figures beside their references, as a table or JSON. */
import { type BenchResult, type BenchSuite, formatBenchTable } from "../tools/bench/harness.ts";
import { sqliteSuite } from "../tools/bench/sqlite_bench.ts";
import { indicatorsBench } from "../tools/bench/indicators_bench.ts";
import { engineSuite } from "../tools/bench/engine_bench.ts";
import { strategySuite } from "../tools/bench/strategy_bench.ts";
import { processSuite } from "../tools/bench/process_bench.ts";
import { sweepBench } from "../tools/bench/sweep_bench.ts";
import { postgresBench } from "../tools/bench/postgres_bench.ts";
import { parseDatabaseUrl } from "../src/storage/mod.ts";
import { InputError } from "../src/core/errors.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";

/** Add a suite here: one import and one entry. */
const SUITES: readonly BenchSuite[] = [
  sqliteSuite,
  { name: "indicators", run: () => indicatorsBench() },
  engineSuite,
  strategySuite,
  {
    name: "sweep",
    run: async (context) =>
      sweepBench(
        context,
        await Deno.readFile(new URL("../data/samples/binance_BTC-USDT_1h.csv", import.meta.url)),
      ),
  },
  processSuite,
];

const SAMPLE_1M = new URL("../data/samples/binance_BTC-USDT_1m.csv", import.meta.url);

async function main(args: string[]): Promise<void> {
  const program = newCommand("bench", "Benchmarks, each beside its reference in the same run")
    .option("--json <file>", "also write the figures as JSON")
    .option(
      "--only <names>",
      "comma-separated suite names (" + SUITES.map((s) => s.name) + ", postgres with --db)",
    )
    .option("--quick", "smaller sizes, for a fast check")
    .option("--db <url>", "also measure this PostgreSQL server (postgres://…) beside SQLite");
  await program.parseAsync(args, { from: "user" });
  const options = program.opts();
  const wanted = options.only?.split(",").map((name) => name.trim());
  const unknown =
    wanted?.filter((name) => !SUITES.some((suite) => suite.name === name) && name !== "postgres") ??
      [];
  if (unknown.length > 0) {
    throw new InputError(`Cannot run bench: --only: unknown suite "${unknown[0]}"`);
  }
  if (options.db !== undefined && parseDatabaseUrl(options.db).kind !== "postgres") {
    throw new InputError(`Cannot run bench: --db: must be postgres://… (got "${options.db}")`);
  }
  const tempDir = await Deno.makeTempDir({ prefix: "trading-bench-" });
  const results: BenchResult[] = [];
  try {
    const context = {
      tempDir,
      sample1mCsv: await Deno.readFile(SAMPLE_1M),
      quick: !!options.quick,
    };
    for (const suite of SUITES) {
      if (wanted && !wanted.includes(suite.name)) continue;
      const suiteResults = await suite.run(context);
      results.push(...suiteResults);
      for (const line of formatBenchTable(suiteResults)) writeLine(line);
      writeLine("");
    }
    if (options.db !== undefined && (!wanted || wanted.includes("postgres"))) {
      const postgres = await postgresBench(context, options.db);
      results.push(...postgres);
      for (const line of formatBenchTable(postgres)) writeLine(line);
    }
  } finally {
    await Deno.remove(tempDir, { recursive: true });
  }
  if (options.json) await Deno.writeTextFile(options.json, JSON.stringify(results, null, 2) + "\n");
}

if (import.meta.main) await runTask("bench", main);
