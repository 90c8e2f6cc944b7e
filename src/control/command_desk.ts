/**
 * The dashboard's way to send commands (`--control`): a read-write connection used only for the
 * command table, apart from the read-only one the dashboard reads with.
 */
import type { Clock } from "../core/ports.ts";
import type { CommandAction, InstanceCommand } from "../storage/command_repo.ts";
import { openStore, type Store } from "../storage/store.ts";
import { requestCommand } from "./instance_control.ts";

/** Queues commands and reads their acknowledgements. */
export interface CommandDesk {
  /** Queues `action` for `name`; throws a one-line error when it cannot (not running, …). */
  request(name: string, action: CommandAction): number;
  /** The command once acknowledged, else null. */
  acknowledgement(id: number): InstanceCommand | null;
  close(): void;
}

/** A desk over the database at `url`, asking as `by`. */
export class StoreCommandDesk implements CommandDesk {
  readonly #url: string;
  readonly #by: string;
  readonly #clock: Clock;
  #store: Store | null = null;

  /** `by` names who asks (`dashboard:user@host`). */
  constructor(url: string, options: { by: string; clock: Clock }) {
    this.#url = url;
    this.#by = options.by;
    this.#clock = options.clock;
  }

  request(name: string, action: CommandAction): number {
    return requestCommand(this.#open(), {
      instance: name,
      action,
      by: this.#by,
      nowMs: Date.now(),
    });
  }

  acknowledgement(id: number): InstanceCommand | null {
    const command = this.#open().commands.get(id);
    return command?.ackedMs !== null && command?.ackedMs !== undefined ? command : null;
  }

  close(): void {
    this.#store?.close();
    this.#store = null;
  }

  // Opened on first use, so that a dashboard nobody steers never writes.
  #open(): Store {
    this.#store ??= openStore(this.#url);
    return this.#store;
  }
}
