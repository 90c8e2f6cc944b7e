/**
 * One lane of the kill campaign: a trader process that is killed at each step of its plan and
 * restarted at once, on its own emulator and account, writing the campaign's shared DB. Each
 * kill is checked (`PRAGMA integrity_check`, a failpoint's evidence) and recorded with the phase
 * of the order path it landed in, from the trace the process wrote.
 */
import assert from "node:assert/strict";
import type { FailpointName } from "../../src/trader/mod.ts";
import type { BinanceEmulator } from "../support/binance_emulator.ts";
import { waitFor } from "../support/trader_process.ts";
import { signalTask, spawnTask, stopTask, type TaskProcess } from "../../tools/soak/mod.ts";
import { failpointEvidence } from "./kill_checks.ts";
import { instanceRow, integrity, submittingIds } from "./kill_db.ts";
import type { CycleClose, KillStep, LaneName } from "./kill_plan.ts";
import { type KillPhase, parseTrace, phaseOf, type TracePoint } from "./kill_phases.ts";

/** A failpoint process waits for its point at most this long (an entry comes every 2 minutes). */
const FAILPOINT_WAIT_MS = 150_000;
/** A delay kill ends at least this long before the close it precedes. */
const CLOSE_MARGIN_MS = 8_000;
/** How long a lane's clean run waits for its books to agree with its account. */
const SETTLE_MS = 150_000;
/** A later cycle starts in a slot whose entry close is at least this far away. */
const SLOT_LEAD_MS = 12_000;

/** Where one kill landed. */
export interface KillRecord {
  readonly lane: LaneName;
  readonly step: KillStep["kind"];
  readonly phase: KillPhase;
  /** The armed failpoint the process reached, or null for a kill from outside. */
  readonly failpoint: FailpointName | null;
  readonly detail: string;
}

/** What a lane runs against. */
export interface LaneSetup {
  readonly name: LaneName;
  readonly dir: string;
  readonly dbPath: string;
  readonly configPath: string;
  readonly env: Record<string, string>;
  readonly emulator: BinanceEmulator;
  /** The close of cycle 0's entry candle; cycle k's is 2k minutes later. */
  readonly entryCloseMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** A lane's trader, restarted after each kill. */
export class KillLane {
  readonly kills: KillRecord[] = [];
  /** Delay kills left out because the close was too near. */
  skipped = 0;
  readonly #setup: LaneSetup;
  #current: TaskProcess | null = null;
  #spawned = 0;
  #slot = -1;

  constructor(setup: LaneSetup) {
    this.#setup = setup;
  }

  /**
   * Runs one cycle's steps in order, in the next two-candle slot whose entry close is still at
   * least `SLOT_LEAD_MS` away (a lane whose failpoints waited for a later order skips slots).
   */
  async runCycle(steps: readonly KillStep[]): Promise<void> {
    let cycle = this.#slot + 1;
    while (this.#closeMs(cycle, "E") - Date.now() < SLOT_LEAD_MS && cycle > 0) cycle++;
    this.#slot = cycle;
    for (const step of steps) {
      if (step.kind === "delay") await this.#delay(cycle, step);
      else if (step.kind === "window") await this.#window(cycle, step);
      else await this.#failpoint(step);
    }
  }

  /** Wall ms when the lane's last kill was done (before its clean run). */
  lastKillMs = 0;

  /**
   * A clean run: it reconciles what the kills left and runs until `settled` (the books agree
   * with the account, e.g. once an order that turns up late is adopted) or `SETTLE_MS` passed,
   * then stops on SIGTERM with exit 0.
   */
  async finish(settled: () => boolean): Promise<void> {
    this.lastKillMs = Date.now();
    const { name, dbPath } = this.#setup;
    const task = this.#spawn();
    await this.#running(task);
    await waitFor(`${name} reconciled`, () => submittingIds(dbPath, name).length === 0, 60_000);
    await waitFor(`${name} settled`, settled, SETTLE_MS).catch(() => {});
    const status = await stopTask(task);
    assert.equal(status.code, 0, `${name}: the clean run did not stop cleanly`);
    assert.equal(integrity(dbPath), "ok");
  }

  /** Kills the running process, if any (cleanup after a failure). */
  async stop(): Promise<void> {
    const task = this.#current;
    if (task === null) return;
    signalTask(task, "SIGKILL");
    await task.done;
  }

  #closeMs(cycle: number, at: CycleClose): number {
    return this.#setup.entryCloseMs + cycle * 120_000 + (at === "X" ? 60_000 : 0);
  }

  async #delay(cycle: number, step: Extract<KillStep, { kind: "delay" }>): Promise<void> {
    const room = this.#closeMs(cycle, step.before) - CLOSE_MARGIN_MS - Date.now();
    if (room < 1_000) {
      this.skipped++;
      return;
    }
    const task = this.#spawn();
    const delayMs = Math.min(step.delayMs, room);
    await sleep(delayMs);
    await this.#kill(task, { step: "delay", failpoint: null, detail: `delay ${delayMs} ms` });
  }

  async #window(cycle: number, step: Extract<KillStep, { kind: "window" }>): Promise<void> {
    for (const fault of step.faults ?? []) this.#setup.emulator.addFault(fault);
    const task = this.#spawn();
    const closeMs = this.#closeMs(cycle, step.at);
    await sleep(closeMs + step.offsetMs - Date.now());
    const detail = `${step.at} close + ${step.offsetMs} ms`;
    const trace = await this.#kill(task, { step: "window", failpoint: null, detail });
    // Where the step was when the kill came, for tuning the window: its points after the close.
    const after = trace.filter((p) => p.timeMs >= closeMs).map((p) =>
      `${p.name} +${p.timeMs - closeMs}`
    );
    this.kills[this.kills.length - 1] = {
      ...this.kills.at(-1)!,
      detail: `${detail} [${after.join(", ")}]`,
    };
  }

  async #failpoint(step: Extract<KillStep, { kind: "failpoint" }>): Promise<void> {
    const { name, emulator, dbPath } = this.#setup;
    for (const fault of step.faults ?? []) emulator.addFault(fault);
    const task = this.#spawn({ TRADER_FAILPOINT: step.name }, step.stop === true);
    if (step.stop === true) {
      await this.#running(task);
      signalTask(task, "SIGTERM");
    }
    const timer = setTimeout(() => signalTask(task, "SIGKILL"), FAILPOINT_WAIT_MS);
    const status = await task.done;
    clearTimeout(timer);
    const trace = parseTrace(await this.#trace(task));
    const reached = status.signal === "SIGKILL" && trace.at(-1)?.name === step.name;
    assert.ok(reached, `${name}: failpoint ${step.name} not reached (${JSON.stringify(status)})`);
    const orders = emulator.orders();
    const problem = failpointEvidence(step.name, submittingIds(dbPath, name), orders);
    assert.equal(problem, null, name);
    this.#record(task, { step: "failpoint", failpoint: step.name, detail: step.name }, trace);
  }

  #spawn(extra: Record<string, string> = {}, closeOnExit = false): TaskProcess {
    const { name, dir, configPath, env } = this.#setup;
    const n = this.#spawned++;
    const args = ["--config", configPath, ...(closeOnExit ? ["--close-on-exit"] : [])];
    this.#current = spawnTask(`${name}-${n}`, {
      script: "tasks/trade.ts",
      args,
      env: { ...env, TRADER_FAILPOINT_TRACE: `${dir}/trace/${name}-${n}.log`, ...extra },
      outputPath: `${dir}/${name}.out`,
    });
    return this.#current;
  }

  /** Waits until this process has written status `running`. */
  async #running(task: TaskProcess): Promise<void> {
    const { name, dbPath } = this.#setup;
    await waitFor(`${task.name} running`, () => {
      if (!task.alive()) throw new Error(`${task.name} exited while starting`);
      const row = instanceRow(dbPath, name);
      return row !== null && row.pid === task.child.pid && row.status === "running";
    }, 90_000);
  }

  async #kill(task: TaskProcess, what: Omit<KillRecord, "lane" | "phase">): Promise<TracePoint[]> {
    assert.ok(task.alive(), `${task.name}: the trader exited before its kill`);
    signalTask(task, "SIGKILL");
    await task.done;
    const trace = parseTrace(await this.#trace(task));
    this.#record(task, what, trace);
    return trace;
  }

  #record(
    task: TaskProcess,
    what: Omit<KillRecord, "lane" | "phase">,
    trace: ReturnType<typeof parseTrace>,
  ) {
    const { name, dbPath } = this.#setup;
    const row = instanceRow(dbPath, name);
    const starting = row === null || row.pid !== task.child.pid || row.status === "starting";
    const phase = phaseOf(trace, starting);
    this.kills.push({ lane: name, phase, ...what });
    assert.equal(integrity(dbPath), "ok", `after ${task.name} (${what.detail})`);
  }

  async #trace(task: TaskProcess): Promise<string> {
    const path = `${this.#setup.dir}/trace/${task.name}.log`;
    return await Deno.readTextFile(path).catch(() => "");
  }
}
