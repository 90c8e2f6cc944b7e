/**
 * Runs the Kraken emulator as its own process, for tests that drive a trader in a child process.
 * `deno run -A tests/support/kraken_emulator_main.ts --port 0 [--start ISO|ms] [--speed N]
 *  [--balance ZUSD=10000 ...] [--counter-max 15]`
 * First stdout line: `listening on http://127.0.0.1:PORT`. SIGTERM or SIGINT stops it.
 */
import { parseArgs } from "node:util";
import { KrakenEmulator } from "./kraken_emulator.ts";

/** Parses `--start` as epoch ms or an ISO date. */
function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

/** Starts the emulator from command-line flags and prints its URL. */
async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string", default: "0" },
      start: { type: "string" },
      speed: { type: "string" },
      balance: { type: "string", multiple: true },
      "counter-max": { type: "string" },
    },
  });
  const balances = values.balance
    ? Object.fromEntries(values.balance.map((b) => b.split("=")).map(([k, v]) => [k, Number(v)]))
    : undefined;
  const emulator = new KrakenEmulator({
    port: Number(values.port),
    startMs: parseTime(values.start),
    speed: values.speed === undefined ? undefined : Number(values.speed),
    balances,
    counterMax: values["counter-max"] === undefined ? undefined : Number(values["counter-max"]),
  });
  await Deno.stdout.write(new TextEncoder().encode(`listening on ${emulator.url}\n`));
  const stop = () => void emulator.close();
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  await emulator.finished;
}

if (import.meta.main) await main(Deno.args);
