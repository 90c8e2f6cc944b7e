/** A tmux server of its own for terminal tests: start a command in a pane, read it, type into it. */
import assert from "node:assert/strict";

/** One tmux server (own socket) with one session named `dash`. */
export class TmuxPane {
  readonly #socket: string;
  readonly #cwd: string;

  constructor(cwd: string, socket = `tmux-test-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`) {
    this.#cwd = cwd;
    this.#socket = socket;
  }

  /**
   * Runs a tmux subcommand on this server and returns its stdout. A `new-session` right after the
   * last session ended can reach the server while it exits ("server exited unexpectedly"); it is
   * tried again, a few times.
   */
  async tmux(...args: string[]): Promise<string> {
    for (let attempt = 1;; attempt++) {
      const output = await new Deno.Command("tmux", {
        args: ["-L", this.#socket, ...args],
        cwd: this.#cwd,
        stderr: "piped",
      }).output();
      if (output.success) return new TextDecoder().decode(output.stdout);
      const stderr = new TextDecoder().decode(output.stderr);
      if (args[0] === "new-session" && attempt < 10 && /server exited unexpectedly/.test(stderr)) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      throw new Error(`tmux ${args.join(" ")}: ${stderr}`);
    }
  }

  /** Starts `command` (a shell line) in a detached session of the given size. */
  start(command: string, width: number, height: number): Promise<string> {
    return this.tmux(
      "new-session",
      "-d",
      "-s",
      "dash",
      "-x",
      `${width}`,
      "-y",
      `${height}`,
      command,
    );
  }

  /** The pane's visible text. */
  capture(): Promise<string> {
    return this.tmux("capture-pane", "-p", "-t", "dash");
  }

  /** Sends keys (`-l` for literal text). */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux("send-keys", "-t", "dash", ...keys);
  }

  /** Polls the pane until `pattern` shows (up to ~40 s on a loaded machine). */
  async waitFor(pattern: RegExp, what: string): Promise<string> {
    let text = "";
    for (let i = 0; i < 400; i++) {
      text = await this.capture();
      if (pattern.test(text)) return text;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`the pane never showed ${what}:\n${text}`);
  }

  /** Stops the server and everything in it. */
  async kill(): Promise<void> {
    await this.tmux("kill-server").catch(() => {});
  }
}
