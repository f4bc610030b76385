import type { DispatchStats } from './dispatcher-types.ts';

/** The counting part of DispatchStats: what two calls' stats add up to (concurrency and latency combine otherwise). */
export type DispatchCounters = Omit<DispatchStats, 'currentConcurrency' | 'connectionConcurrency' | 'latencyMs'>;

/** The counters of two calls (or chunks of one) added, retries per cause too; the inputs are not changed. */
export function addDispatchCounters(left: DispatchCounters, right: DispatchCounters): DispatchCounters {
  const causes: Record<string, number> = { ...left.retriesByCause };
  for (const [cause, count] of Object.entries(right.retriesByCause)) causes[cause] = (causes[cause] ?? 0) + count;
  return {
    rows: left.rows + right.rows,
    batches: left.batches + right.batches,
    bytesOut: left.bytesOut + right.bytesOut,
    bytesIn: left.bytesIn + right.bytesIn,
    attempts: left.attempts + right.attempts,
    retries: left.retries + right.retries,
    retriesByCause: causes,
    throttles: left.throttles + right.throttles,
    rowErrors: left.rowErrors + right.rowErrors,
    nullSkipped: left.nullSkipped + right.nullSkipped,
    dedupSaved: left.dedupSaved + right.dedupSaved,
    failedBatches: left.failedBatches + right.failedBatches,
  };
}
