import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { toDuckDbType } from './duckdb-type.ts';
import { fromDuckDbValue } from './duckdb-value.ts';
import type { PrefetchSummary, WorkerFunction } from './duckdb-worker-protocol.ts';
import { parseLosslessJson } from './lossless-json.ts';
import { PREFETCH_ARGUMENT_PREFIX, planPrefetch, type PrefetchFunction } from './plan-prefetch.ts';
import type { QueryState } from './register-catalog-functions.ts';
import { tupleKey } from './tuple-key.ts';

/** Sends one block of distinct tuples to the main thread; resolves with their results, or undefined on failure. */
export type PrefetchBlock = (functionName: string, rows: unknown[][]) => Promise<unknown[] | undefined>;

export interface PrefetchOptions {
  readonly maxRows: number;
  readonly blockRows: number;
}

/**
 * Runs the prefetch of one statement (see plan-prefetch.ts): reads the DISTINCT argument tuples of each
 * prefetchable call site with DuckDB, streams them to the main thread in blocks (all blocks are dispatched
 * concurrently there), and fills the query's cache. Best effort: a site whose query fails, or a block the
 * dispatcher rejects, is simply left to the bridge, which then reports the real error if the query needs it.
 */
export async function runPrefetch(connection: DuckDBConnection, sql: string, functions: ReadonlyMap<string, WorkerFunction>, query: QueryState, sendBlock: PrefetchBlock, options: PrefetchOptions): Promise<PrefetchSummary[]> {
  const planned = new Map<string, PrefetchFunction>(
    [...functions.values()].filter((fn) => fn.argumentTypes.length > 0).map((fn) => [fn.name.toLowerCase(), { name: fn.name, immutable: fn.immutable, argumentCount: fn.argumentTypes.length }]),
  );
  if (![...planned.values()].some((fn) => fn.immutable)) return [];
  let sites;
  try {
    const serialized = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    sites = planPrefetch(parseLosslessJson(String(serialized.getRows()[0]?.[0])), planned);
  } catch {
    return []; // not a single SELECT DuckDB can serialize: nothing to prefetch
  }
  const summaries = new Map<string, { tuples: number; failedTuples: number }>();
  const pending: Promise<void>[] = [];
  for (const site of sites) {
    const fn = functions.get(site.functionName);
    if (fn === undefined) continue;
    const summary = summaries.get(fn.name) ?? { tuples: 0, failedTuples: 0 };
    summaries.set(fn.name, summary);
    const dispatchBlock = (rows: unknown[][]): void => {
      summary.tuples += rows.length;
      pending.push(
        sendBlock(fn.name, rows).then((results) => {
          if (results === undefined) summary.failedTuples += rows.length;
          else rows.forEach((row, index) => query.remember(fn.name, tupleKey(row), results[index]));
        }),
      );
    };
    try {
      await readDistinctTuples(connection, site.argumentsStatement, fn, options, dispatchBlock);
    } catch {
      // e.g. a cast the real query would also fail on: leave this site to the bridge
    }
  }
  await Promise.all(pending);
  return [...summaries].map(([name, summary]) => ({ function: name, ...summary }));
}

async function readDistinctTuples(connection: DuckDBConnection, argumentsStatement: string, fn: WorkerFunction, options: PrefetchOptions, dispatchBlock: (rows: unknown[][]) => void): Promise<void> {
  const inner = String((await connection.runAndReadAll('SELECT json_deserialize_sql($1::JSON)', [argumentsStatement])).getRows()[0]?.[0]);
  const casts = fn.argumentTypes.map((type, index) => `CAST("${PREFETCH_ARGUMENT_PREFIX}${index}" AS ${toDuckDbType(type).toString()})`);
  const result = await connection.stream(`SELECT DISTINCT ${casts.join(', ')} FROM (${inner}) AS "__lakefn_prefetch"`);
  const blockRows = Math.max(1, Math.round(options.blockRows / fn.maxBatchRows)) * fn.maxBatchRows;
  let block: unknown[][] = [];
  let total = 0;
  for await (const chunk of result) {
    const vectors = fn.argumentTypes.map((_type, column) => chunk.getColumnVector(column));
    for (let row = 0; row < chunk.rowCount && total < options.maxRows; row += 1, total += 1) {
      block.push(fn.argumentTypes.map((type, column) => fromDuckDbValue((vectors[column] as DuckDBVector).getItem(row), type)));
      if (block.length >= blockRows) {
        dispatchBlock(block);
        block = [];
      }
    }
    if (total >= options.maxRows) break;
  }
  if (block.length > 0) dispatchBlock(block);
}
