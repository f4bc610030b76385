import type { MessagePort } from 'node:worker_threads';
import type { SqlType } from '../spec/sql-type.ts';

/**
 * Messages between the main thread (async dispatcher) and the DuckDB worker thread. Two channels:
 * - `parentPort`: asynchronous control (queries, prefetch requests/results, lifecycle);
 * - the bridge port: the UDF callback's synchronous requests. The worker never listens on it; it blocks on the
 *   shared `signal` counter and reads the reply with `receiveMessageOnPort` (see sync-bridge-client.ts).
 */

/** What the worker needs to register one catalog function. */
export interface WorkerFunction {
  readonly name: string;
  readonly argumentTypes: readonly SqlType[];
  readonly returnType: SqlType;
  /** Results may be cached and reused for identical argument tuples within a query. */
  readonly immutable: boolean;
  /** The function's max_batch_rows: prefetch blocks are a multiple of it, so no block ends in a short batch. */
  readonly maxBatchRows: number;
}

export interface DuckDbWorkerData {
  readonly functions: readonly WorkerFunction[];
  readonly bridgePort: MessagePort;
  /** Int32 counter the main thread bumps (and notifies) after posting each bridge reply. */
  readonly signal: SharedArrayBuffer;
  /** DuckDB `threads` setting. */
  readonly threads: number;
  /** How long one UDF chunk may wait for the dispatcher before the query fails. */
  readonly bridgeTimeoutMs: number;
  /** Most distinct tuples prefetched per call site; the rest go through the bridge. 0 disables prefetch. */
  readonly prefetchMaxRows: number;
  /** Tuples per prefetch request to the main thread (pipelines DuckDB reading with dispatching). */
  readonly prefetchBlockRows: number;
}

/** An error as it crosses threads: a LakefnError's JSON (code, message, retryable, location…). */
export interface SerializedError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly [key: string]: unknown;
}

export type MainToWorkerMessage =
  | { readonly type: 'query'; readonly id: number; readonly sql: string; readonly prefetch: boolean }
  | { readonly type: 'interrupt'; readonly id: number }
  | { readonly type: 'prefetch-result'; readonly id: number; readonly results?: unknown[]; readonly error?: SerializedError }
  | { readonly type: 'close' };

export interface QueryColumn {
  readonly name: string;
  /** DuckDB's type text, e.g. `VARCHAR`, `DECIMAL(10,2)`. */
  readonly type: string;
}

/** A result cell: JSON-like, with BIGINT/HUGEINT as bigint and DuckDB's text for temporal/decimal/blob values. */
export type ResultValue = null | boolean | number | bigint | string | readonly ResultValue[] | { readonly [key: string]: ResultValue };

export interface PrefetchSummary {
  readonly function: string;
  readonly tuples: number;
  readonly failedTuples: number;
}

export type WorkerToMainMessage =
  | { readonly type: 'ready'; readonly registered: readonly string[]; readonly skipped: readonly { readonly name: string; readonly reason: string }[] }
  | { readonly type: 'prefetch'; readonly id: number; readonly queryId: number; readonly functionName: string; readonly rows: unknown[][] }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly columns: readonly QueryColumn[];
      readonly rows: readonly ResultValue[][];
      readonly prefetched: readonly PrefetchSummary[];
    }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly cause?: SerializedError };

/** A synchronous bridge request from the UDF callback: one chunk's rows (or its uncached distinct tuples). */
export interface BridgeRequest {
  readonly id: number;
  readonly queryId: number;
  readonly functionName: string;
  readonly rows: readonly (readonly unknown[])[];
}

export type BridgeReply = { readonly id: number; readonly results: unknown[] } | { readonly id: number; readonly error: SerializedError };
