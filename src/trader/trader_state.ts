/** What a trader persists in `instances.state` to resume after a restart (JSON). */
import type { EngineSnapshot } from "../core/engine_types.ts";

/** The resumable state of one instance. */
export interface TraderState {
  readonly version: 1;
  readonly mode: string;
  readonly kernel: EngineSnapshot;
  readonly realizedPnlQuote: number;
  readonly lastSignal: string | null;
  readonly lastSignalMs: number | null;
  readonly lastPrice: number | null;
}

/** The stored state when it is one of ours for this mode, else null (a fresh start). */
export function parseTraderState(value: unknown, mode: string): TraderState | null {
  if (value === null || typeof value !== "object") return null;
  const state = value as Partial<TraderState>;
  if (state.version !== 1 || state.mode !== mode || typeof state.kernel !== "object") return null;
  return state as TraderState;
}

/** A client id prefix for an instance: its name when short, else a stable abbreviation. */
export function clientIdPrefix(name: string): string {
  if (name.length <= 16) return name;
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return `${name.slice(0, 10)}-${(hash >>> 0).toString(36).padStart(7, "0").slice(0, 5)}`;
}
