/**
 * Runs the Binance emulator as its own process, for tests that drive a trader in a child process.
 * `deno run -A tests/support/binance_emulator_main.ts --port 0 [--start ISO|ms] [--speed N]
 *  [--weight-limit N] [--balance USDT=10000 ...] [--fee-rate 0.001] [--commission-in quote]`
 * First stdout line: `listening on http://127.0.0.1:PORT`. SIGTERM or SIGINT stops it.
 */
import { parseArgs } from "node:util";
import { BinanceEmulator, EMULATOR_API_KEY, EMULATOR_API_SECRET } from "./binance_emulator.ts";

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
      "weight-limit": { type: "string" },
      balance: { type: "string", multiple: true },
      "fee-rate": { type: "string" },
      "commission-in": { type: "string" },
    },
  });
  const balances = values.balance
    ? Object.fromEntries(values.balance.map((b) => b.split("=")).map(([k, v]) => [k, Number(v)]))
    : undefined;
  const emulator = new BinanceEmulator({
    port: Number(values.port),
    startMs: parseTime(values.start),
    speed: values.speed === undefined ? undefined : Number(values.speed),
    weightLimit: values["weight-limit"] === undefined ? undefined : Number(values["weight-limit"]),
    balances,
    feeRate: values["fee-rate"] === undefined ? undefined : Number(values["fee-rate"]),
    commissionIn: values["commission-in"] === "quote" ? "quote" : undefined,
  });
  const out = new TextEncoder();
  await Deno.stdout.write(out.encode(`listening on ${emulator.url}\n`));
  await Deno.stdout.write(
    out.encode(`api key ${EMULATOR_API_KEY} secret ${EMULATOR_API_SECRET}\n`),
  );
  const stop = () => void emulator.close();
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  await emulator.finished;
}

if (import.meta.main) await main(Deno.args);
