// Scenario 5, run in a fresh process so that its RSS is lakefn's alone: streams N rows through evaluateStream and
// prints one JSON line of MemoryFigures. Config in argv[2] (JSON); the mock's variables in the environment.
import { performance } from 'node:perf_hooks';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { sampleRss } from '../support/measure.ts';
import { LakefnStack } from '../support/provider-fixture.ts';

export interface MemoryChildConfig {
  readonly connection: ConnectionRecord;
  readonly cloudFunction: string;
  readonly rows: number;
  readonly batchRows: number;
  readonly concurrency: number;
}

export interface MemoryFigures {
  readonly rows: number;
  readonly rowsPerSecond: number;
  /** RSS after setup and a warm-up stream, before the measured stream. */
  readonly baselineRssBytes: number;
  readonly peakRssBytes: number;
  readonly finalRssBytes: number;
  /** peak − baseline. */
  readonly rssGrowthBytes: number;
  /** Peaks of the first and the second half of the stream: equal when memory is bounded by the window, not the input. */
  readonly peakFirstHalfBytes: number;
  readonly peakSecondHalfBytes: number;
  /** V8 heap in use after a full GC, before and after the stream: what the stream retained (a leak would show here). */
  readonly heapAfterGcBeforeBytes: number;
  readonly heapAfterGcAfterBytes: number;
}

const SAMPLE_INTERVAL_MS = 50;

function* rowsOf(count: number, offset = 0): Generator<[string]> {
  for (let index = 0; index < count; index += 1) yield [`v${offset + index}`];
}

async function stream(stack: LakefnStack, functionName: string, count: number, offset: number, onHalf: () => void = () => undefined): Promise<void> {
  let index = 0;
  const half = Math.floor(count / 2);
  for await (const batch of stack.dispatcher.evaluateStream(functionName, rowsOf(count, offset), { queryId: `memory-${offset}`, user: 'bench' }).batches()) {
    for (const value of batch) {
      if (value !== `V${offset + index}`) throw new Error(`row ${index}: expected V${offset + index}, got ${String(value)}`);
      index += 1;
      if (index === half) onHalf();
    }
  }
  if (index !== count) throw new Error(`the stream yielded ${index} results for ${count} rows`);
}

const config = JSON.parse(process.argv[2] ?? '{}') as MemoryChildConfig;
const environment = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
const stack = new LakefnStack(config.connection, environment);
const fn = stack.define('memory', config.cloudFunction, { maxBatchRows: config.batchRows, maxConcurrency: config.concurrency });
try {
  await stream(stack, fn.name, Math.min(config.rows, 50_000), 100_000_000);
  globalThis.gc?.();
  const heapAfterGcBeforeBytes = process.memoryUsage().heapUsed;
  const baselineRssBytes = process.memoryUsage.rss();
  const sampler = sampleRss(SAMPLE_INTERVAL_MS);
  const startedAt = performance.now();
  let peakFirstHalfBytes = 0;
  await stream(stack, fn.name, config.rows, 0, () => (peakFirstHalfBytes = sampler.takePeak()));
  const elapsedMs = performance.now() - startedAt;
  const peakSecondHalfBytes = sampler.stop();
  const peakBytes = Math.max(peakFirstHalfBytes, peakSecondHalfBytes);
  const finalRssBytes = process.memoryUsage.rss();
  globalThis.gc?.();
  const figures: MemoryFigures = {
    rows: config.rows,
    rowsPerSecond: config.rows / (elapsedMs / 1000),
    baselineRssBytes,
    peakRssBytes: peakBytes,
    finalRssBytes,
    rssGrowthBytes: peakBytes - baselineRssBytes,
    peakFirstHalfBytes,
    peakSecondHalfBytes,
    heapAfterGcBeforeBytes,
    heapAfterGcAfterBytes: process.memoryUsage().heapUsed,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await stack.close();
}
