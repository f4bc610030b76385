// Entry point of the DuckDB worker thread (bridge pattern B of reference/sql-engine-hook.md): DuckDB and its
// scalar functions live here, so the UDF callback may block this thread while the async dispatcher keeps running
// on the main thread. Queries run only through DuckDB's async API (never pending.runTask() on this thread, which
// would make DuckDB wait for itself).
import { parentPort, workerData } from 'node:worker_threads';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { DuckDbWorkerData, MainToWorkerMessage, PrefetchSummary, WorkerToMainMessage } from './duckdb-worker-protocol.ts';
import { messageOf, QueryState, registerCatalogFunctions, registerQualifiedNames } from './register-catalog-functions.ts';
import { runPrefetch } from './run-prefetch.ts';
import { SyncBridgeClient } from './sync-bridge-client.ts';
import { toResultValue } from './to-result-value.ts';

const data = workerData as DuckDbWorkerData;
const port = parentPort;
if (port === null) throw new Error('duckdb-worker.ts must run in a worker thread');

const instance = await DuckDBInstance.create(':memory:', { threads: String(data.threads) });
const connection = await instance.connect();
const bridge = new SyncBridgeClient(data.bridgePort, data.signal, data.bridgeTimeoutMs);
const functions = new Map(data.functions.map((fn) => [fn.name, fn]));
/** Outside a query (e.g. a UDF folded while DuckDB plans), callbacks use a throwaway state. */
let current: QueryState | undefined;
const pendingBlocks = new Map<number, (results: unknown[] | undefined) => void>();
let nextBlockId = 1;

const outcome = registerCatalogFunctions(connection, data.functions, bridge, () => current ?? new QueryState(0));
await registerQualifiedNames(connection, data.functions, outcome);
post({ type: 'ready', registered: outcome.registered, skipped: outcome.skipped });

port.on('message', (message: MainToWorkerMessage) => {
  switch (message.type) {
    case 'query':
      void runQuery(connection, message.id, message.sql, message.prefetch);
      break;
    case 'interrupt':
      if (current?.id === message.id) connection.interrupt();
      break;
    case 'prefetch-result':
      pendingBlocks.get(message.id)?.(message.results);
      pendingBlocks.delete(message.id);
      break;
    case 'close':
      connection.closeSync();
      instance.closeSync();
      data.bridgePort.close();
      port.close();
      break;
  }
});

/** The main thread runs one query at a time per session, so `current` identifies the query every callback serves. */
async function runQuery(target: DuckDBConnection, id: number, sql: string, prefetch: boolean): Promise<void> {
  const query = new QueryState(id);
  current = query;
  try {
    let prefetched: PrefetchSummary[] = [];
    if (prefetch && data.prefetchMaxRows > 0) {
      prefetched = await runPrefetch(target, sql, functions, query, sendBlock(id), { maxRows: data.prefetchMaxRows, blockRows: data.prefetchBlockRows });
    }
    const reader = await target.runAndReadAll(sql);
    const names = reader.deduplicatedColumnNames();
    const columns = reader.columnTypes().map((type, index) => ({ name: names[index] ?? `column${index}`, type: type.toString() }));
    post({ type: 'result', id, columns, rows: reader.getRows().map((row) => row.map(toResultValue)), prefetched });
  } catch (error) {
    post({ type: 'error', id, message: messageOf(error), ...(query.failure === undefined ? {} : { cause: query.failure }) });
  } finally {
    current = undefined;
  }
}

function sendBlock(queryId: number) {
  return (functionName: string, rows: unknown[][]): Promise<unknown[] | undefined> =>
    new Promise((resolve) => {
      const id = nextBlockId++;
      pendingBlocks.set(id, resolve);
      post({ type: 'prefetch', id, queryId, functionName, rows });
    });
}

function post(message: WorkerToMainMessage): void {
  port?.postMessage(message);
}
