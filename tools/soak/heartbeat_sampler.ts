/**
 * Samples instance rows during the soak: for each trader, while its process is alive and once it
 * has reported `running`, the heartbeat's age against the dashboard's stale limit.
 */
import { staleAfterMs } from "../../src/dashboard/status.ts";
import type { Store } from "../../src/storage/store.ts";

/** Per instance: samples taken, the oldest heartbeat seen and how often it was stale. */
export interface HeartbeatFigures {
  samples: number;
  maxAgeMs: number;
  staleSamples: number;
  limitMs: number;
}

/** Collects heartbeat ages; call `sample` periodically. */
export class HeartbeatSampler {
  readonly figures = new Map<string, HeartbeatFigures>();
  readonly #running = new Set<string>();

  /** Reads every row once; `alive(name)` says whether that instance's process still runs. */
  sample(store: Store, alive: (name: string) => boolean, nowMs: number): void {
    for (const row of store.instances.list()) {
      if (!alive(row.name)) continue;
      if (row.status === "running") this.#running.add(row.name);
      if (!this.#running.has(row.name)) continue;
      const limitMs = staleAfterMs(row.timeframe);
      const figures = this.figures.get(row.name) ??
        { samples: 0, maxAgeMs: 0, staleSamples: 0, limitMs };
      const ageMs = Math.max(0, nowMs - row.heartbeatMs);
      figures.samples++;
      figures.maxAgeMs = Math.max(figures.maxAgeMs, ageMs);
      if (ageMs > limitMs) figures.staleSamples++;
      this.figures.set(row.name, figures);
    }
  }
}
