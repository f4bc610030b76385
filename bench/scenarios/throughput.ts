import { createWireCodec } from '../../src/codec/create-wire-codec.ts';
import type { Dispatcher } from '../../src/dispatcher/dispatcher-types.ts';
import type { BenchPlan, GridPoint } from '../bench-plan.ts';
import { benchRows, expectedUpper } from '../support/measure.ts';
import { profiled } from '../support/profiler.ts';
import type { ProviderBench } from '../support/provider-bench.ts';
import { prepareCeiling, runCeiling, type CeilingInput, type ThroughputFigures } from './ceiling.ts';
import { runLakefn, type LakefnFigures } from './lakefn.ts';

export interface GridResult extends GridPoint {
  readonly ceiling: ThroughputFigures | undefined;
  readonly lakefn: LakefnFigures | undefined;
  /** lakefn rows/s ÷ ceiling rows/s. */
  readonly lakefnOverCeiling: number | undefined;
  /** The experiment: the same dispatcher with invocations signed and sent over undici instead of the vendor SDK. */
  readonly lakefnUndici: LakefnFigures | undefined;
  readonly lakefnUndiciOverCeiling: number | undefined;
}

let querySequence = 0;

/** Throws unless every result is the upper-cased input (the mock's `upper`). */
export function checkUpper(rows: readonly (readonly string[])[]): (results: readonly unknown[]) => void {
  return (results) => {
    if (results.length !== rows.length) throw new Error(`expected ${rows.length} results, got ${results.length}`);
    for (let index = 0; index < rows.length; index += 1) {
      if (results[index] !== expectedUpper(rows[index]!)) throw new Error(`row ${index}: expected ${expectedUpper(rows[index]!)}, got ${String(results[index])}`);
    }
  };
}

export interface GridOptions {
  readonly ceiling: boolean;
  readonly lakefn: boolean;
  /** Also run lakefn with the undici invoke adapter (support/undici-adapter.ts). */
  readonly undici: boolean;
  /** Writes a CPU profile of each measured lakefn run here (see support/profiler.ts). */
  readonly profileDirectory: string | undefined;
}

/**
 * Scenarios 1 and 2 over the grid: for each (batch, concurrency), the ceiling client and lakefn's `evaluate` send
 * the same rows, as the same batches and bytes, alternately `plan.repeats` times after an unmeasured warm-up of
 * each; the best run of each counts (the one least disturbed by other load on the machine).
 */
export async function runThroughputGrid(bench: ProviderBench, plan: BenchPlan, options: GridOptions): Promise<GridResult[]> {
  const results: GridResult[] = [];
  for (const point of plan.grid) {
    const fn = bench.stack.define(`f_b${point.batchRows}_c${point.concurrency}`, bench.cloudFunction, { maxBatchRows: point.batchRows, maxConcurrency: point.concurrency });
    const rowCount = Math.min(plan.maxRowsPerRun, point.batchRows * plan.invocationsPerRun);
    const warmupRows = benchRows(Math.max(point.batchRows, Math.floor(rowCount * plan.warmupFraction)), 10_000_000);
    const rows = benchRows(rowCount);
    const codec = createWireCodec(fn);
    const ceilingRun = async (inputRows: string[][]): Promise<ThroughputFigures> => {
      const queryId = `ceiling${(querySequence += 1)}`;
      const input: CeilingInput = {
        target: await bench.invokeTarget(),
        origin: bench.origin,
        codec,
        rows: inputRows,
        batchRows: point.batchRows,
        concurrency: point.concurrency,
        batchContext: (index) => ({ batchId: `${queryId}:${fn.name}:${index}`, queryId, user: 'bench' }),
      };
      return runCeiling(input, await prepareCeiling(input));
    };
    const lakefnRun = (dispatcher: Dispatcher, inputRows: string[][]): Promise<LakefnFigures> => runLakefn(dispatcher, fn.name, inputRows, `lakefn${(querySequence += 1)}`, checkUpper(inputRows));
    if (options.ceiling) await ceilingRun(warmupRows);
    if (options.lakefn) await lakefnRun(bench.stack.dispatcher, warmupRows);
    if (options.undici) await lakefnRun(bench.undiciDispatcher, warmupRows);
    let ceiling: ThroughputFigures | undefined;
    let lakefn: LakefnFigures | undefined;
    let lakefnUndici: LakefnFigures | undefined;
    for (let repeat = 0; repeat < plan.repeats; repeat += 1) {
      if (options.ceiling) ceiling = best(ceiling, await ceilingRun(rows));
      if (options.lakefn) {
        const profileName = `lakefn-${bench.provider}-b${point.batchRows}-c${point.concurrency}`;
        const run = repeat === 0 ? await profiled(options.profileDirectory, profileName, () => lakefnRun(bench.stack.dispatcher, rows)) : await lakefnRun(bench.stack.dispatcher, rows);
        lakefn = best(lakefn, run);
      }
      if (options.undici) {
        const profileName = `undici-${bench.provider}-b${point.batchRows}-c${point.concurrency}`;
        const run = repeat === 0 ? await profiled(options.profileDirectory, profileName, () => lakefnRun(bench.undiciDispatcher, rows)) : await lakefnRun(bench.undiciDispatcher, rows);
        lakefnUndici = best(lakefnUndici, run);
      }
    }
    const over = (figures: LakefnFigures | undefined): number | undefined => (ceiling !== undefined && figures !== undefined ? figures.rowsPerSecond / ceiling.rowsPerSecond : undefined);
    const ratio = over(lakefn);
    bench.log(
      `batch ${point.batchRows} × conc ${point.concurrency}: ceiling ${format(ceiling?.rowsPerSecond)} rows/s, lakefn ${format(lakefn?.rowsPerSecond)} rows/s` +
        (ratio === undefined ? '' : ` (${ratio.toFixed(2)})`) +
        (lakefnUndici === undefined ? '' : `, lakefn over undici ${format(lakefnUndici.rowsPerSecond)} rows/s`),
    );
    results.push({ ...point, ceiling, lakefn, lakefnOverCeiling: ratio, lakefnUndici, lakefnUndiciOverCeiling: over(lakefnUndici) });
  }
  return results;
}

function best<T extends ThroughputFigures>(current: T | undefined, candidate: T): T {
  return current === undefined || candidate.rowsPerSecond > current.rowsPerSecond ? candidate : current;
}

function format(value: number | undefined): string {
  return value === undefined ? '–' : Math.round(value).toLocaleString('en-US');
}
