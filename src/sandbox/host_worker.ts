/**
 * Worker body of a strategy host: loads one user module inside the sandbox, then answers the
 * engine's synchronous calls (check params, create an instance, handle a candle) over a
 * `SyncChannel` until it is terminated.
 */
import { checkDefinitionParams } from "../config/check_strategy.ts";
import type { Strategy } from "../core/ports.ts";
import { candleFromRow } from "../core/candle_row.ts";
import type { CandleRow, Position } from "../core/types.ts";
import { checkedStrategy } from "../strategy_runtime/checked_strategy.ts";
import { instantiateStrategy } from "../strategy_runtime/instantiate.ts";
import { loadStrategyDefinition } from "../strategy_runtime/load_definition.ts";
import type { StrategyDefinition } from "../strategy_api.ts";
import { assertSandboxed } from "./sandbox_permissions.ts";
import { SyncChannel } from "../core/sync_channel.ts";

/** The first message: which module to load, and the shared buffer to serve on. */
export interface HostOpenRequest {
  readonly moduleUrl: string;
  readonly path: string;
  readonly root: string;
  readonly buffer: SharedArrayBuffer;
}

/** The answer to the first message. */
export type HostOpenReply =
  | { readonly kind: "opened"; readonly name: string; readonly description: string }
  | { readonly kind: "failed"; readonly message: string };

/** Calls over the channel. */
export type HostCall =
  | { readonly op: "check"; readonly params: Record<string, unknown> }
  | { readonly op: "create"; readonly params: Record<string, unknown>; readonly timeframe: string }
  | {
    readonly op: "candle";
    readonly id: number;
    readonly candle: CandleRow;
    readonly position: Position | null;
    readonly closeTimeMs: number;
  };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HostOpenRequest>) => void) | null;
  postMessage(message: HostOpenReply): void;
};

scope.onmessage = async (event) => {
  scope.onmessage = null;
  const { moduleUrl, path, root, buffer } = event.data;
  let definition: StrategyDefinition;
  try {
    assertSandboxed();
    definition = await loadStrategyDefinition(moduleUrl, path, root);
  } catch (error) {
    scope.postMessage({ kind: "failed", message: errorText(error) });
    return;
  }
  scope.postMessage({
    kind: "opened",
    name: definition.name,
    description: definition.description,
  });
  const instances: Strategy[] = [];
  new SyncChannel(buffer).serve((call) => {
    try {
      return answer(call as HostCall, definition, instances, path);
    } catch (error) {
      return { error: errorText(error) };
    }
  });
};

function answer(
  call: HostCall,
  definition: StrategyDefinition,
  instances: Strategy[],
  path: string,
): unknown {
  if (call.op === "check") return checkDefinitionParams(definition, call.params);
  if (call.op === "create") {
    const params = definition.params.parse(call.params) as Record<string, unknown>;
    const strategy = checkedStrategy(instantiateStrategy(definition, params, call.timeframe), path);
    instances.push(strategy);
    return { id: instances.length - 1, name: strategy.name, warmupCandles: strategy.warmupCandles };
  }
  const intents = instances[call.id].onCandle(
    candleFromRow(call.candle),
    { position: call.position, closeTimeMs: call.closeTimeMs },
  );
  return { intents };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
