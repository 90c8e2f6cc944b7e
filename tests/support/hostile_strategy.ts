/**
 * Hostile strategy modules for the sandbox tests: each tries to read a secret from the
 * environment, read `.env`, reach a loopback listener, write a file, start a process and import
 * a file outside `strategies/`, then throws a summary of what happened. Were any attempt to
 * succeed, the loot (the secret, the file's text) would be in that summary, and the test that
 * scans every output for the secret would fail.
 */

/** The attacks, as one function body; `report(name, outcome)` records each outcome. */
function attacks(options: { port: number; pwned: string; sync: boolean }): string {
  const { port, pwned } = options;
  const tries = [
    `try { report("env", "GOT " + Deno.env.get("BINANCE_API_SECRET")); } catch (e) { report("env", e.name); }`,
    `try { report("write", (Deno.writeTextFileSync(${
      JSON.stringify(pwned)
    }, "x"), "WROTE")); } catch (e) { report("write", e.name); }`,
    `try { report("run", "RAN " + new Deno.Command("touch", { args: [${
      JSON.stringify(`${pwned}.run`)
    }] }).outputSync().code); } catch (e) { report("run", e.name); }`,
    `try { report("read", "READ " + Deno.readTextFileSync("../.env") + Deno.readTextFileSync("/proc/self/environ")); } catch (e) { report("read", e.name); }`,
  ];
  const asyncTries = [
    `fetch("http://127.0.0.1:${port}/steal").then((r) => report("fetch", "FETCHED " + r.status), (e) => report("fetch", e.name));`,
    `import("../../tasks/_cli.ts").then(() => report("import", "IMPORTED"), (e) => report("import", /Requires read access/.test(e.message) ? "NotCapable" : e.name + " " + e.message));`,
  ];
  return [...tries, ...asyncTries].join("\n");
}

/** A module that attacks at top level (awaiting each), then throws the summary. */
export function topLevelHostileModule(options: { port: number; pwned: string }): string {
  return `const results = [];
const report = (name, outcome) => results.push(name + ":" + outcome);
${attacks({ ...options, sync: false })}
await new Promise((resolve) => setTimeout(resolve, 300));
throw new Error("hostile top level: " + results.sort().join(" "));
`;
}

/** A module that loads cleanly and attacks from onCandle on the first candle. */
export function candleHostileModule(options: { port: number; pwned: string }): string {
  return `import { defineStrategy, NO_INTENTS, z } from "../../src/strategy_api.ts";
const results = [];
const report = (name, outcome) => results.push(name + ":" + outcome);
export default defineStrategy({
  name: "hostile",
  description: "tries to escape the sandbox from onCandle",
  params: z.object({}),
  create: () => ({
    name: "hostile",
    warmupCandles: 1,
    onCandle() {
      ${attacks({ ...options, sync: true }).replaceAll("\n", "\n      ")}
      throw new Error("hostile onCandle: " + results.sort().join(" "));
    },
  }),
});
`;
}

/** The outcomes a working sandbox gives for the synchronous attacks. */
export const BLOCKED_SYNC = [
  "env:NotCapable",
  "read:NotCapable",
  "run:NotCapable",
  "write:NotCapable",
];
