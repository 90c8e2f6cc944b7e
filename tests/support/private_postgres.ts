/**
 * A PostgreSQL 15 cluster of one test's own, on a free loopback port, that the test may stop and
 * start (the shared server on 5432 must never be stopped: other tests use it). Made with
 * `initdb` (trust authentication for local connections, its default) in a temporary folder; as
 * root the server runs as the `postgres` user, as PostgreSQL requires.
 */

/** Where Debian's postgresql-15 package puts the server programs. */
export const PG_BIN = "/usr/lib/postgresql/15/bin";

/** True when `initdb` is installed (CI's `.ci/run` installs postgresql). */
export function hasPrivatePostgres(): boolean {
  try {
    return Deno.statSync(`${PG_BIN}/initdb`).isFile;
  } catch {
    return false;
  }
}

/** The reason a test that needs its own cluster is skipped, or null when it can run. */
export const PRIVATE_POSTGRES_MISSING: string | null = hasPrivatePostgres()
  ? null
  : `${PG_BIN}/initdb is absent (install postgresql-15 to run this test)`;

/** One private cluster; `using`-style disposal stops it and removes its folder. */
export class PrivatePostgres implements AsyncDisposable {
  /** The temporary folder (the data directory and the socket are inside). */
  readonly dir: string;
  readonly port: number;
  readonly #asRoot: boolean;

  private constructor(dir: string, port: number, asRoot: boolean) {
    this.dir = dir;
    this.port = port;
    this.#asRoot = asRoot;
  }

  /** A fresh cluster, started. */
  static async create(): Promise<PrivatePostgres> {
    const dir = await Deno.makeTempDir({ prefix: "private_pg_" });
    const asRoot = Deno.uid() === 0;
    const cluster = new PrivatePostgres(dir, freePort(), asRoot);
    try {
      await Deno.chmod(dir, 0o755);
      await Deno.mkdir(cluster.dataDir, { mode: 0o700 });
      if (asRoot) {
        const uid = Number((await output("id", ["-u", "postgres"])).trim());
        const gid = Number((await output("id", ["-g", "postgres"])).trim());
        await Deno.chown(cluster.dataDir, uid, gid);
      }
      await cluster.#pg(`${PG_BIN}/initdb -D ${cluster.dataDir} -U postgres --no-sync -A trust`);
      await cluster.start();
      return cluster;
    } catch (error) {
      await cluster.#remove();
      throw error;
    }
  }

  /** The data directory. */
  get dataDir(): string {
    return `${this.dir}/data`;
  }

  /** The URL of its `postgres` database (trust authentication). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.#pg(
      `${PG_BIN}/pg_ctl -D ${this.dataDir} -l ${this.dataDir}/server.log -o "${options}" -w -t 60 start`,
    );
  }

  /** Stops the server (fast: open sessions are terminated) and waits until it is down. */
  async stop(): Promise<void> {
    await this.#pg(`${PG_BIN}/pg_ctl -D ${this.dataDir} -m fast -w -t 60 stop`);
  }

  /** True while the server runs. */
  async running(): Promise<boolean> {
    const command = `${PG_BIN}/pg_ctl -D ${this.dataDir} status`;
    const args = this.#asRoot ? ["postgres", "-c", command] : ["-c", command];
    const result = await new Deno.Command(this.#asRoot ? "su" : "sh", {
      args,
      stdout: "null",
      stderr: "null",
    }).output();
    return result.code === 0;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      if (await this.running()) await this.stop();
    } finally {
      await this.#remove();
    }
  }

  async #remove(): Promise<void> {
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }

  /** Runs a shell command as the server's user; throws with its output when it fails. */
  async #pg(command: string): Promise<void> {
    const [program, args] = this.#asRoot
      ? ["su", ["postgres", "-c", command]]
      : ["sh", ["-c", command]];
    const result = await new Deno.Command(program, { args, stdout: "piped", stderr: "piped" })
      .output();
    if (result.code !== 0) {
      const text = new TextDecoder();
      throw new Error(
        `${command} failed (exit ${result.code}): ${text.decode(result.stdout)}${
          text.decode(result.stderr)
        }`,
      );
    }
  }
}

/** A loopback port nothing listens on now. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function output(program: string, args: string[]): Promise<string> {
  const result = await new Deno.Command(program, { args, stdout: "piped" }).output();
  return new TextDecoder().decode(result.stdout);
}
