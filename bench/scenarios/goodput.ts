import { LakefnError } from '../../src/errors/index.ts';
import type { BenchPlan } from '../bench-plan.ts';
import { benchRows } from '../support/measure.ts';
import { MOCK_FUNCTIONS, type ProviderBench } from '../support/provider-bench.ts';
import { runLakefn } from './lakefn.ts';
import { checkUpper } from './throughput.ts';

export interface GoodputResult {
  readonly injected5xx: number;
  /** 'default' = the dispatcher's defaults; 'short-throttle-backoff' = experiment: throttle backoff base = the latency. */
  readonly variant: 'default' | 'short-throttle-backoff';
  readonly rows: number;
  readonly rowsPerSecond: number;
  /** N × batch / latency: what the function could serve at best. */
  readonly capacityRowsPerSecond: number;
  /** rowsPerSecond ÷ capacity. */
  readonly goodput: number;
  /** Rows without a result (0 unless the call failed: then every row counts, with its error code). */
  readonly failedRows: number;
  readonly errorCode: string | undefined;
  readonly throttles: number;
  readonly retries: number;
  readonly mockThrottled: number;
  readonly mockFaults: number;
}

/**
 * Scenario 6: a function limited to N concurrent invocations with 20 ms latency, called with lakefn's max_concurrency
 * above N, so that adaptive concurrency must find N; then the same with injected 5xx. Zero failed rows expected.
 * Plus the experiment with a throttle backoff of one latency.
 */
export async function runGoodputScenario(bench: ProviderBench, plan: BenchPlan): Promise<GoodputResult[]> {
  const settings = plan.goodput;
  const capacity = (settings.functionConcurrency * settings.batchRows) / (settings.latencyMs / 1000);
  const results: GoodputResult[] = [];
  // The experiment: throttles retried after ~one function latency instead of the default 500 ms base (a Retry-After
  // from the provider still wins), to show how much of the lost goodput is backoff.
  const shortBackoff = bench.stack.dispatcherWith({ retry: { throttleBaseDelayMs: settings.latencyMs } });
  const cases = [
    { injected5xx: 0, cloudFunction: MOCK_FUNCTIONS.throttled, variant: 'default', dispatcher: bench.stack.dispatcher },
    { injected5xx: settings.faultProbability, cloudFunction: MOCK_FUNCTIONS.throttledFaulty, variant: 'default', dispatcher: bench.stack.dispatcher },
    { injected5xx: 0, cloudFunction: MOCK_FUNCTIONS.throttled, variant: 'short-throttle-backoff', dispatcher: shortBackoff },
  ] as const;
  for (const { injected5xx, cloudFunction, variant, dispatcher } of cases) {
    const fn = bench.stack.define(`goodput_${cloudFunction}`, cloudFunction, { maxBatchRows: settings.batchRows, maxConcurrency: settings.maxConcurrency });
    const before = await bench.mock.functionCounters(bench.provider, bench.region, cloudFunction);
    const rows = benchRows(settings.rows);
    let result: GoodputResult;
    const startedAt = performance.now();
    try {
      const figures = await runLakefn(dispatcher, fn.name, rows, `goodput-${variant}-${cloudFunction}`, checkUpper(rows));
      const after = await bench.mock.functionCounters(bench.provider, bench.region, cloudFunction);
      result = {
        injected5xx,
        variant,
        rows: rows.length,
        rowsPerSecond: figures.rowsPerSecond,
        capacityRowsPerSecond: capacity,
        goodput: figures.rowsPerSecond / capacity,
        failedRows: 0,
        errorCode: undefined,
        throttles: figures.throttles,
        retries: figures.retries,
        mockThrottled: (after?.throttled ?? 0) - (before?.throttled ?? 0),
        mockFaults: (after?.faults ?? 0) - (before?.faults ?? 0),
      };
    } catch (error) {
      const rowsPerSecond = 0;
      result = {
        injected5xx,
        variant,
        rows: rows.length,
        rowsPerSecond,
        capacityRowsPerSecond: capacity,
        goodput: rowsPerSecond,
        failedRows: rows.length,
        errorCode: LakefnError.isInstance(error) ? error.code : 'E_INTERNAL',
        throttles: 0,
        retries: 0,
        mockThrottled: 0,
        mockFaults: 0,
      };
      bench.log(`goodput call failed after ${Math.round(performance.now() - startedAt)} ms: ${error instanceof Error ? error.message : String(error)}`);
    }
    bench.log(
      `goodput (${variant}, ${injected5xx * 100} % 5xx): ${Math.round(result.rowsPerSecond).toLocaleString('en-US')} rows/s of ${capacity.toLocaleString('en-US')} = ${result.goodput.toFixed(2)}, ` +
        `${result.throttles} throttles, ${result.retries} retries, ${result.failedRows} failed rows`,
    );
    results.push(result);
  }
  return results;
}
