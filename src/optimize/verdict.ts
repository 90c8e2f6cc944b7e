/** The one-sentence answer at the end of every report: does the edge survive out of sample? */
import type { OptimizeResult } from "./optimize_run.ts";

/** A sentence built from the out-of-sample result, the DSR and the PBO. */
export function verdict(result: OptimizeResult): string {
  const { deflatedSharpe, pbo } = result.full.overfitting;
  const overfit = pbo !== null && pbo >= 0.5;
  const significant = deflatedSharpe !== null && deflatedSharpe >= 0.95;
  const stats = `DSR ${deflatedSharpe === null ? "—" : deflatedSharpe.toFixed(2)}, PBO ${
    pbo === null ? "—" : pbo.toFixed(2)
  }`;
  if (result.outOfSample === null) {
    if (overfit || !significant) {
      return `Verdict: the best in-sample result is not evidence of an edge (${stats}); run --walk-forward before trusting it.`;
    }
    return `Verdict: the best result stands out from luck (${stats}); confirm it with --walk-forward.`;
  }
  const oos = result.outOfSample.metrics;
  const ret = oos.returnPct ?? 0;
  const hold = oos.buyHoldReturnPct ?? 0;
  if (ret > 0 && ret > hold && !overfit && significant) {
    return `Verdict: the edge survives out of sample: ${ret.toFixed(1)} % against buy & hold ${
      hold.toFixed(1)
    } % (${stats}).`;
  }
  if (ret > 0 && !overfit) {
    return `Verdict: out of sample it made ${ret.toFixed(1)} % (buy & hold ${
      hold.toFixed(1)
    } %), but the statistics do not rule out luck (${stats}); treat the edge as unproven.`;
  }
  return `Verdict: the edge does not survive out of sample: ${
    ret.toFixed(1)
  } % against buy & hold ${hold.toFixed(1)} % (${stats}).`;
}
