import { createWireCodec, type CompleteWireCodec } from '../../src/codec/create-wire-codec.ts';
import type { ConnectionBindingV1, ProviderAdapterV1 } from '../../src/spec/provider-adapter-v1.ts';
import type { CredentialSource } from '../../src/spec/temporary-credentials.ts';
import type { BenchPlan } from '../bench-plan.ts';
import { benchRows, measure, quantile, runPool } from '../support/measure.ts';
import type { ProviderBench } from '../support/provider-bench.ts';
import type { ThroughputFigures } from './ceiling.ts';
import { checkUpper, type GridResult } from './throughput.ts';

export interface NaiveInput {
  readonly adapter: ProviderAdapterV1;
  readonly credentials: CredentialSource;
  readonly codec: CompleteWireCodec;
  /** `adapter.bindConnection(connection)`, made once like the dispatcher does per call. */
  readonly binding: ConnectionBindingV1;
  readonly functionName: string;
  readonly rows: readonly (readonly unknown[])[];
  readonly concurrency: number;
  readonly queryId: string;
}

/**
 * What a per-row UDF does: one invocation per row through the same adapter (vendor SDK, same credentials source and
 * codec), `concurrency` rows in flight, no batching, no dispatcher.
 */
export async function runNaive(input: NaiveInput): Promise<{ figures: ThroughputFigures; results: unknown[] }> {
  const { rows, codec } = input;
  const results = new Array<unknown>(rows.length);
  const latencies = new Float64Array(rows.length);
  const run = await measure(() =>
    runPool(rows.length, input.concurrency, async (index) => {
      const payload = codec.encodeBatch([rows[index]!], { batchId: `${input.queryId}:naive:${index}`, queryId: input.queryId, user: 'bench' });
      const credentials = await input.credentials();
      const startedAt = performance.now();
      const reply = await input.adapter.doInvoke({
        credentials,
        binding: input.binding,
        functionName: input.functionName,
        payload,
        timeoutMs: 30_000,
      });
      latencies[index] = performance.now() - startedAt;
      results[index] = codec.decodeReply(reply.payload, 1).results[0];
    }),
  );
  const sorted = [...latencies].sort((a, b) => a - b);
  const seconds = run.elapsedMs / 1000;
  return {
    results,
    figures: {
      rows: rows.length,
      invocations: rows.length,
      elapsedMs: run.elapsedMs,
      rowsPerSecond: rows.length / seconds,
      invocationsPerSecond: rows.length / seconds,
      cpuMicrosPerInvocation: (run.cpuMs * 1000) / rows.length,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
    },
  };
}

export interface NaiveResult {
  readonly concurrency: number;
  readonly naive: ThroughputFigures;
  /** lakefn (batch 100, same concurrency) rows/s ÷ naive rows/s, when the grid measured that point. */
  readonly lakefnOverNaive: number | undefined;
  /** lakefn at batch 1 (same concurrency) ÷ naive: the dispatcher's own cost per invocation. */
  readonly lakefnBatch1OverNaive: number | undefined;
}

/** Scenario 3 for each configured concurrency, compared with the grid's lakefn figures at the same concurrency. */
export async function runNaiveScenario(bench: ProviderBench, plan: BenchPlan, grid: readonly GridResult[]): Promise<NaiveResult[]> {
  const fn = bench.stack.define('naive', bench.cloudFunction, { maxBatchRows: 1 });
  const codec = createWireCodec(fn);
  const connection = bench.stack.connection;
  const adapter = bench.stack.registry.adapterFor(bench.provider);
  const base = {
    adapter,
    credentials: bench.stack.broker.credentialsFor(connection),
    codec,
    binding: await adapter.bindConnection(connection),
    functionName: bench.cloudFunction,
  };
  const lakefnAt = (batchRows: number, concurrency: number): number | undefined =>
    grid.find((point) => point.batchRows === batchRows && point.concurrency === concurrency)?.lakefn?.rowsPerSecond;
  const results: NaiveResult[] = [];
  for (const concurrency of plan.naive.concurrencies) {
    const warmupRows = benchRows(Math.max(concurrency, Math.floor(plan.naive.rows * plan.warmupFraction)), 10_000_000);
    await runNaive({ ...base, rows: warmupRows, concurrency, queryId: 'naive-warmup' });
    const rows = benchRows(plan.naive.rows);
    const { figures, results: values } = await runNaive({ ...base, rows, concurrency, queryId: `naive-c${concurrency}` });
    checkUpper(rows)(values);
    const batch100 = lakefnAt(100, concurrency);
    const batch1 = lakefnAt(1, concurrency);
    results.push({
      concurrency,
      naive: figures,
      lakefnOverNaive: batch100 === undefined ? undefined : batch100 / figures.rowsPerSecond,
      lakefnBatch1OverNaive: batch1 === undefined ? undefined : batch1 / figures.rowsPerSecond,
    });
    bench.log(`naive conc ${concurrency}: ${Math.round(figures.rowsPerSecond).toLocaleString('en-US')} rows/s, ${Math.round(figures.cpuMicrosPerInvocation)} µs CPU per invocation`);
  }
  return results;
}
