/**
 * The engine's side of a sandboxed user strategy (paper, live, replay and config checks): the
 * module runs in a worker with no network, environment, write or process permission, and the
 * engine calls it synchronously, so the kernel cannot tell it from a built-in.
 */
import { urlToPath } from "../core/file_paths.ts";
import type { ModuleStrategy, ParamsCheck } from "../config/check_strategy.ts";
import type { Strategy, StrategyContext } from "../core/ports.ts";
import { candleToRow } from "../core/candle_row.ts";
import type { Candle, OrderIntent } from "../core/types.ts";
import { InputError } from "../core/errors.ts";
import { StrategyRuntimeError } from "../strategy_runtime/checked_strategy.ts";
import type { HostCall, HostOpenReply, HostOpenRequest } from "./host_worker.ts";
import { PROJECT_ROOT, sandboxedWorkerOptions } from "./sandbox_permissions.ts";
import { ChannelTimeoutError, SyncChannel } from "../core/sync_channel.ts";

/** Limits on a user module; a strategy that takes longer is stopped. */
export interface HostLimits {
  /** Loading the module and running its top-level code. */
  readonly openMs: number;
  /** One call: a candle, a params check or a new instance. */
  readonly callMs: number;
}

/** Default limits: generous for real strategies, short enough to notice a hung one. */
export const DEFAULT_HOST_LIMITS: HostLimits = { openMs: 30_000, callMs: 10_000 };

/** A user module could not be loaded; the message names the file and says why. Exit code 2. */
export class StrategyLoadError extends InputError {}

/** A user strategy module loaded in its own sandboxed worker. Close it when done. */
export class StrategyHost implements ModuleStrategy {
  readonly path: string;
  readonly name: string;
  readonly description: string;
  readonly #worker: Worker;
  readonly #channel: SyncChannel;
  readonly #limits: HostLimits;
  #closed = false;

  private constructor(
    path: string,
    opened: { name: string; description: string },
    parts: { worker: Worker; channel: SyncChannel; limits: HostLimits },
  ) {
    this.path = path;
    this.name = opened.name;
    this.description = opened.description;
    this.#worker = parts.worker;
    this.#channel = parts.channel;
    this.#limits = parts.limits;
  }

  /** Loads `path` (e.g. `strategies/my_idea.ts`) in a sandboxed worker. */
  static async open(
    path: string,
    options: { root?: URL; limits?: Partial<HostLimits> } = {},
  ): Promise<StrategyHost> {
    const root = options.root ?? PROJECT_ROOT;
    const limits = { ...DEFAULT_HOST_LIMITS, ...options.limits };
    const moduleUrl = new URL(path, root);
    try {
      await Deno.stat(moduleUrl);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new StrategyLoadError(`${path}: no such file (${urlToPath(moduleUrl)})`);
      }
      throw new StrategyLoadError(
        `${path}: cannot read it: this task's permission set in deno.json must allow ` +
          `reading ./strategies (${error instanceof Error ? error.message.split("\n")[0] : error})`,
      );
    }
    const worker = new Worker(
      new URL("./host_worker.ts", import.meta.url),
      sandboxedWorkerOptions(`strategy ${path}`),
    );
    const channel = new SyncChannel();
    const reply = await firstReply(worker, {
      moduleUrl: moduleUrl.href,
      path,
      root: root.href,
      buffer: channel.buffer,
    }, limits.openMs).catch((error) => {
      worker.terminate();
      throw error;
    });
    if (reply.kind === "failed") {
      worker.terminate();
      throw new StrategyLoadError(reply.message);
    }
    return new StrategyHost(path, reply, { worker, channel, limits });
  }

  /** Checks params with the module's schema and cross-field check. */
  checkParams(params: Record<string, unknown>): ParamsCheck {
    return this.#call({ op: "check", params }, NaN) as ParamsCheck;
  }

  /** A new instance with `params` (already checked) on `timeframe`. */
  createStrategy(params: Record<string, unknown>, timeframe: string): Strategy {
    const created = this.#call({ op: "create", params, timeframe }, NaN) as {
      id: number;
      name: string;
      warmupCandles: number;
    };
    const call = (message: HostCall, timeMs: number) => this.#call(message, timeMs);
    return {
      name: created.name,
      warmupCandles: created.warmupCandles,
      onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
        const answer = call({
          op: "candle",
          id: created.id,
          candle: candleToRow(candle),
          position: context.position,
          closeTimeMs: context.closeTimeMs,
        }, candle.openTimeMs) as { intents: OrderIntent[] };
        return answer.intents;
      },
    };
  }

  /** Stops the worker; later calls throw. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker.terminate();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #call(message: HostCall, candleTimeMs: number): unknown {
    if (this.#closed) throw new StrategyRuntimeError(`${this.path}: the strategy was stopped`, NaN);
    let answer: unknown;
    try {
      answer = this.#channel.call(message, this.#limits.callMs);
    } catch (error) {
      if (!(error instanceof ChannelTimeoutError)) throw error;
      this.close();
      const at = Number.isNaN(candleTimeMs)
        ? ""
        : ` on candle ${new Date(candleTimeMs).toISOString()}`;
      throw new StrategyRuntimeError(
        `strategy ${this.name} (${this.path}) did not answer within ${this.#limits.callMs} ms${at}; stopped it`,
        candleTimeMs,
      );
    }
    const failed = (answer as { error?: string }).error;
    if (failed !== undefined) throw new StrategyRuntimeError(failed, candleTimeMs);
    return answer;
  }
}

function firstReply(
  worker: Worker,
  request: HostOpenRequest,
  timeoutMs: number,
): Promise<HostOpenReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new StrategyLoadError(
          `${request.path}: did not finish loading within ${timeoutMs} ms (a loop at top level?)`,
        ),
      );
    }, timeoutMs);
    worker.onmessage = (event: MessageEvent<HostOpenReply>) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      reject(new StrategyLoadError(`${request.path}: ${event.message}`));
    };
    worker.postMessage(request);
  });
}
