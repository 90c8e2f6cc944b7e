/** The docker, docker-compose and /proc reads the container test is made of. */

/** A finished command. */
export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const decoder = new TextDecoder();

/** Runs `cmd args…`; a missing program is exit code 127, as a shell says. */
export async function run(
  cmd: string,
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<Ran> {
  try {
    const out = await new Deno.Command(cmd, {
      args: [...args],
      cwd: options.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { code: 127, stdout: "", stderr: `${cmd}: not found` };
    }
    throw error;
  }
}

/** Runs `cmd args…` and returns its stdout; throws with the last lines of stderr otherwise. */
export async function must(
  cmd: string,
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<string> {
  const ran = await run(cmd, args, options);
  if (ran.code !== 0) {
    const tail = (ran.stderr.trim() || ran.stdout.trim()).split("\n").slice(-8).join("\n  ");
    throw new Error(`${cmd} ${args.join(" ")} exited ${ran.code}:\n  ${tail}`);
  }
  return ran.stdout;
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

/** Why the container test cannot run on this machine, or null when it can. */
export async function unavailableReason(): Promise<string | null> {
  if (Deno.build.os !== "linux") return `${Deno.build.os} is not Linux`;
  const info = await run("docker", ["info", "--format", "{{.ServerVersion}}"]);
  if (info.code !== 0) {
    return `no Docker engine answers (docker info: ${firstLine(info.stderr)}); ` +
      ".ci/run starts dockerd when it runs as root";
  }
  const compose = await run("docker-compose", ["version", "--short"]);
  if (compose.code !== 0) return "docker-compose is not installed (apt-get install docker-compose)";
  const tmux = await run("tmux", ["-V"]);
  if (tmux.code !== 0) return "tmux is not installed (apt-get install tmux)";
  return null;
}

/** The parts of `docker inspect` the test reads. */
export interface ContainerInfo {
  readonly Id: string;
  readonly Name: string;
  readonly RestartCount: number;
  readonly State: {
    readonly Status: string;
    readonly Running: boolean;
    readonly Pid: number;
    readonly ExitCode: number;
    readonly OOMKilled: boolean;
    readonly StartedAt: string;
    readonly FinishedAt: string;
    readonly Health?: {
      readonly Status: string;
      readonly Log?: readonly { Start: string; End: string; ExitCode: number; Output: string }[];
    };
  };
  readonly Config: {
    readonly User: string;
    readonly Healthcheck?: {
      readonly Test: string[];
      readonly Interval: number;
      readonly Timeout: number;
      readonly StartPeriod: number;
      readonly Retries: number;
    };
  };
  readonly HostConfig: {
    readonly NanoCpus: number;
    readonly Memory: number;
    readonly RestartPolicy: { readonly Name: string };
    readonly NetworkMode: string;
    readonly Init: boolean | null;
  };
  readonly Mounts: readonly { Destination: string; RW: boolean; Source: string }[];
}

/** `docker inspect` of one container. */
export async function inspect(id: string): Promise<ContainerInfo> {
  const [info] = JSON.parse(await must("docker", ["inspect", id])) as ContainerInfo[];
  return info;
}

/** Memory use as `docker stats` reports it (cgroup usage less page cache), in bytes, by id. */
export async function statsMemory(ids: readonly string[]): Promise<Map<string, number>> {
  const out = await must("docker", [
    "stats",
    "--no-stream",
    "--no-trunc",
    "--format",
    "{{.ID}}\t{{.MemUsage}}",
    ...ids,
  ]);
  const memory = new Map<string, number>();
  for (const line of out.trim().split("\n")) {
    const [id, usage] = line.split("\t");
    if (id && usage) memory.set(id, parseSize(usage.split("/")[0].trim()));
  }
  return memory;
}

const UNITS: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  kB: 1000,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
};

/** `159.1MiB` as bytes. */
export function parseSize(text: string): number {
  const match = /^([\d.]+)\s*([A-Za-z]+)$/.exec(text);
  if (!match || UNITS[match[2]] === undefined) throw new Error(`unreadable size "${text}"`);
  return Number(match[1]) * UNITS[match[2]];
}

/**
 * The host pid of the trader process in a container: the child of its init (docker-init runs as
 * PID 1 because the compose file says `init: true`) whose command line runs tasks/trade.ts.
 */
export async function traderPid(info: ContainerInfo): Promise<number> {
  const initPid = info.State.Pid;
  const children = (await Deno.readTextFile(`/proc/${initPid}/task/${initPid}/children`))
    .trim().split(/\s+/).filter((p) => p !== "").map(Number);
  for (const pid of children) {
    const cmdline = await Deno.readTextFile(`/proc/${pid}/cmdline`).catch(() => "");
    if (cmdline.includes("tasks/trade.ts")) return pid;
  }
  throw new Error(`${info.Name}: no tasks/trade.ts process under init pid ${initPid}`);
}

/** Resident set size of a host pid, in bytes (0 when it is gone). */
export async function processRss(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`).catch(() => "");
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** `docker events` of one kind for a container between two times (epoch ms). */
export async function pastEvents(id: string, event: string, fromMs: number, toMs: number) {
  const out = await must("docker", [
    "events",
    "--since",
    `${Math.floor(fromMs / 1000)}`,
    "--until",
    `${Math.ceil(toMs / 1000) + 1}`,
    "--filter",
    `container=${id}`,
    "--filter",
    `event=${event}`,
    "--format",
    "{{.Time}} {{.Action}}",
  ]);
  return out.trim().split("\n").filter((line) => line !== "");
}

/** Mebibytes (as docker stats counts them) with one decimal. */
export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
