import type { Dispatcher } from '../../src/dispatcher/dispatcher-types.ts';
import { measure } from '../support/measure.ts';
import type { ThroughputFigures } from './ceiling.ts';

export interface LakefnFigures extends ThroughputFigures {
  readonly retries: number;
  readonly throttles: number;
}

/**
 * lakefn proper: `evaluateWithStats` over the rows (batching, queues, credential broker, vendor SDK adapter, codec,
 * result checks). Latency percentiles come from the dispatcher's own per-attempt histogram.
 */
export async function runLakefn(
  dispatcher: Dispatcher,
  functionName: string,
  rows: readonly (readonly unknown[])[],
  queryId: string,
  check: (results: readonly unknown[]) => void,
): Promise<LakefnFigures> {
  const run = await measure(() => dispatcher.evaluateWithStats(functionName, rows, { queryId, user: 'bench' }));
  check(run.value.results);
  const { stats } = run.value;
  const seconds = run.elapsedMs / 1000;
  return {
    rows: rows.length,
    invocations: stats.attempts,
    elapsedMs: run.elapsedMs,
    rowsPerSecond: rows.length / seconds,
    invocationsPerSecond: stats.attempts / seconds,
    cpuMicrosPerInvocation: (run.cpuMs * 1000) / stats.attempts,
    p50Ms: stats.latencyMs.p50,
    p99Ms: stats.latencyMs.p99,
    retries: stats.retries,
    throttles: stats.throttles,
  };
}
