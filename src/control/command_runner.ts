/**
 * The trader's side of operator commands: once per heartbeat it takes the instance's pending
 * commands, oldest first, carries each out, acknowledges it (when, and what was done) and
 * notifies. `exit` sells through the normal order path, so it waits its turn with candle steps.
 */
import { errorMessage } from "../core/errors.ts";
import type { Clock } from "../core/ports.ts";
import { instanceEvent } from "../notify/events.ts";
import type { CommandRepo, InstanceCommand } from "../storage/command_repo.ts";
import type { Trader } from "../trader/trader.ts";

/** What a command asks the loop to do afterwards. */
export type CommandEffect = "continue" | "stop";

/** Carries out an instance's operator commands. */
export class CommandRunner {
  readonly #trader: Trader;
  readonly #commands: CommandRepo;
  readonly #clock: Clock;

  constructor(trader: Trader, commands: CommandRepo, clock: Clock) {
    this.#trader = trader;
    this.#commands = commands;
    this.#clock = clock;
  }

  /** At start: an operator's pause from before the restart still holds. */
  restore(): void {
    const last = this.#commands.lastHold(this.#trader.options.name);
    if (last?.action === "pause") this.#trader.hold(holdReason(last));
  }

  /** Runs the pending commands; "stop" when one asked the run to end. */
  async runPending(): Promise<CommandEffect> {
    let effect: CommandEffect = "continue";
    for (const command of this.#commands.pending(this.#trader.options.name)) {
      let outcome: string;
      try {
        outcome = await this.#carryOut(command);
      } catch (error) {
        outcome = `failed: ${errorMessage(error)}`;
      }
      this.#acknowledge(command, outcome);
      if (command.action === "stop") effect = "stop";
    }
    return effect;
  }

  async #carryOut(command: InstanceCommand): Promise<string> {
    const trader = this.#trader;
    switch (command.action) {
      case "pause":
        return trader.hold(holdReason(command)) ? "entries paused" : "entries were paused already";
      case "resume":
        return trader.release() ? "entries resumed" : "entries were not paused by an operator";
      case "stop":
        trader.stopRequest = `stopped by ${command.requestedBy}`;
        return "stopping";
      case "exit":
        return await trader.exitPosition()
          ? (trader.kernel.position === null
            ? "position closed"
            : "close sent; position still open")
          : "no position to close";
    }
  }

  /** The acknowledgement and its notification, in one transaction. */
  #acknowledge(command: InstanceCommand, outcome: string): void {
    const nowMs = this.#clock.nowMs();
    const trader = this.#trader;
    trader.options.store.transaction(() => {
      if (!this.#commands.acknowledge(command.id, nowMs, outcome)) return;
      trader.notify(instanceEvent(trader.options.name, "command", {
        timeMs: nowMs,
        key: String(command.id),
        text: `${command.action} by ${command.requestedBy}: ${outcome}`,
        data: { id: command.id, action: command.action, requestedBy: command.requestedBy, outcome },
      }));
    });
    trader.options.logger.info("Command {action} by {by}: {outcome}", {
      action: command.action,
      by: command.requestedBy,
      outcome,
    });
  }
}

function holdReason(command: InstanceCommand): string {
  return `paused by ${command.requestedBy}`;
}
