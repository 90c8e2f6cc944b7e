/** Web Worker body for `--sweep`: backtests the configs it is sent and posts their metrics. */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { MarketFacts } from "../risk/market_rules.ts";
import { backtestConfig } from "./backtest_config.ts";
import type { Metrics } from "./metrics.ts";
import type { CandleColumns } from "./run_backtest.ts";

/** What the main thread sends: candles once, then the jobs of this worker. */
export interface SweepWorkerRequest {
  readonly candles: CandleColumns;
  readonly market: MarketFacts | null;
  readonly jobs: readonly { readonly index: number; readonly config: InstanceConfig }[];
}

/** What the worker posts back: one message per job, then `done`. */
export type SweepWorkerMessage =
  | { readonly kind: "result"; readonly index: number; readonly metrics: Metrics }
  | { readonly kind: "error"; readonly index: number; readonly message: string }
  | { readonly kind: "done" };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<SweepWorkerRequest>) => void) | null;
  postMessage(message: SweepWorkerMessage): void;
};

scope.onmessage = (event) => {
  const { candles, market, jobs } = event.data;
  for (const { index, config } of jobs) {
    try {
      const { metrics } = backtestConfig(config, candles, { market });
      scope.postMessage({ kind: "result", index, metrics });
    } catch (error) {
      scope.postMessage({
        kind: "error",
        index,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  scope.postMessage({ kind: "done" });
};
