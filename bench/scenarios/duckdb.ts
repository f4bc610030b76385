import { createDuckDbSession } from '../../src/duckdb/create-duckdb-session.ts';
import type { FunctionRecord } from '../../src/spec/function-record.ts';
import type { BenchPlan } from '../bench-plan.ts';
import { measure } from '../support/measure.ts';
import { MOCK_FUNCTIONS, type ProviderBench } from '../support/provider-bench.ts';
import { runLakefn } from './lakefn.ts';

/** How the query reaches the dispatcher: the UDF's synchronous bridge (volatile) or prefetched distinct tuples (immutable). */
export type DuckDbMode = 'bridge' | 'prefetch';

export interface DuckDbResult {
  readonly latencyMs: number;
  readonly mode: DuckDbMode;
  readonly rows: number;
  readonly rowsPerSecond: number;
  /** `evaluate` over the same rows with the same function settings (scenario 2 at this latency). */
  readonly evaluateRowsPerSecond: number;
  readonly duckDbOverEvaluate: number;
}

/**
 * Scenario 4: `SELECT sum(length(f(x))) FROM range(N)` in DuckDB (worker thread, UDF → bridge → dispatcher, or the
 * prefetch path for immutable functions), against `evaluate` over the same N rows at the same mock latency.
 */
export async function runDuckDbScenario(bench: ProviderBench, plan: BenchPlan): Promise<DuckDbResult[]> {
  const { rows: rowCount, batchRows, concurrency } = plan.duckdb;
  const functions = new Map<string, FunctionRecord>();
  for (const latencyMs of plan.duckdb.latenciesMs) {
    const cloudFunction = latencyMs === 0 ? MOCK_FUNCTIONS.upper : latencyMs === 20 ? MOCK_FUNCTIONS.upper20 : undefined;
    if (cloudFunction === undefined) throw new Error(`the mock has no bench function with ${latencyMs} ms latency (0 or 20)`);
    for (const mode of ['bridge', 'prefetch'] as const) {
      const fn = bench.stack.define(`duck_${mode}_${latencyMs}`, cloudFunction, { maxBatchRows: batchRows, maxConcurrency: concurrency, volatility: mode === 'prefetch' ? 'immutable' : 'volatile' });
      functions.set(`${mode}/${latencyMs}`, fn);
    }
  }
  const dispatcher = bench.stack.dispatcher;
  const session = await createDuckDbSession({ hook: { evaluate: (name, rows, context) => dispatcher.evaluate(name, rows, context), listFunctions: async () => [...functions.values()] } });
  const expectedTotal = totalDigits(rowCount);
  const results: DuckDbResult[] = [];
  try {
    for (const latencyMs of plan.duckdb.latenciesMs) {
      const rows = Array.from({ length: rowCount }, (_unused, index) => [String(index)]);
      const bridgeFunction = functions.get(`bridge/${latencyMs}`)!;
      await runLakefn(dispatcher, bridgeFunction.name, rows.slice(0, Math.ceil(rowCount / 5)), `duck-warmup-${latencyMs}`, () => undefined);
      // the baseline runs before and after the queries; the better run counts (noise only ever slows a run down)
      const evaluateRun = async (label: string): Promise<number> =>
        (
          await runLakefn(dispatcher, bridgeFunction.name, rows, `duck-evaluate-${label}-${latencyMs}`, (values) => {
            if (values.length !== rowCount) throw new Error(`evaluate returned ${values.length} results for ${rowCount} rows`);
          })
        ).rowsPerSecond;
      const evaluateBefore = await evaluateRun('before');
      const measured: { mode: DuckDbMode; rowsPerSecond: number }[] = [];
      for (const mode of ['bridge', 'prefetch'] as const) {
        const fn = functions.get(`${mode}/${latencyMs}`)!;
        const sql = (count: number): string => `SELECT sum(length(${fn.name}(CAST(range AS VARCHAR)))) AS total FROM range(${count})`;
        await session.query(sql(Math.ceil(rowCount / 5)), { queryId: `duck-warmup-${mode}-${latencyMs}` });
        const run = await measure(() => session.query(sql(rowCount), { queryId: `duck-${mode}-${latencyMs}` }));
        const total = Number(run.value.rows[0]?.[0]);
        if (total !== expectedTotal) throw new Error(`DuckDB ${mode} at ${latencyMs} ms: sum(length(f(x))) = ${total}, expected ${expectedTotal}`);
        measured.push({ mode, rowsPerSecond: rowCount / (run.elapsedMs / 1000) });
      }
      const evaluateRowsPerSecond = Math.max(evaluateBefore, await evaluateRun('after'));
      for (const { mode, rowsPerSecond } of measured) {
        results.push({ latencyMs, mode, rows: rowCount, rowsPerSecond, evaluateRowsPerSecond, duckDbOverEvaluate: rowsPerSecond / evaluateRowsPerSecond });
        bench.log(`DuckDB ${mode} at ${latencyMs} ms: ${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s (evaluate ${Math.round(evaluateRowsPerSecond).toLocaleString('en-US')})`);
      }
    }
  } finally {
    await session.close();
  }
  return results;
}

/** Σ length(String(i)) for i in [0, count): `upper` keeps digits, so this is what the query must return. */
function totalDigits(count: number): number {
  let total = 0;
  for (let digits = 1, start = 0; start < count; digits += 1, start = 10 ** (digits - 1)) {
    total += digits * (Math.min(count, 10 ** digits) - start);
  }
  return total;
}
