/**
 * The soak's secret check: no API key or secret of any trader (live, and paper with keys set)
 * in any log, process output, DB page or WAL frame.
 */
import { scanForSecrets, type SecretScan } from "../../tests/support/secret_scan.ts";
import { LIVE_KEY, PAPER_KEY, type SoakWorld } from "./soak_setup.ts";

const SECRETS = [LIVE_KEY.apiKey, LIVE_KEY.secret, PAPER_KEY.apiKey, PAPER_KEY.secret];

function databasePath(world: SoakWorld): string {
  return world.databaseUrl.replace(/^sqlite:/, "");
}

/** Scans the DB and its WAL while the traders still run: the WAL goes with the last connection. */
export function scanDatabase(world: SoakWorld): Promise<SecretScan> {
  const path = databasePath(world);
  return scanForSecrets(SECRETS, { paths: [path, `${path}-wal`] });
}

/** Every file of the run (logs, outputs, DB) after it, plus the scan taken while it ran. */
export async function secretProblems(
  world: SoakWorld,
  whileRunning: SecretScan,
): Promise<{ problems: string[]; detail: string }> {
  const after = await scanForSecrets(SECRETS, { paths: [world.dir] });
  const wal = `${databasePath(world)}-wal`;
  const problems = [...whileRunning.hits, ...after.hits];
  if (!whileRunning.files.includes(wal)) problems.push("the WAL was not scanned while trading");
  // The scan means something only if a trader did sign with its keys.
  const signed = world.live?.requests().filter((r) => r.signed && r.hasApiKey).length ?? 0;
  if (world.live !== null && signed === 0) problems.push("the live trader signed no request");
  const count = (dir: string) => after.files.filter((f) => f.startsWith(`${dir}/`)).length;
  return {
    problems,
    detail: `0 hits in the DB, its WAL (while trading), ${count(world.logDir)} logs and ` +
      `${count(world.outputDir)} process outputs; the live trader signed ${signed} requests`,
  };
}
