import { randomUUID } from 'node:crypto';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { CallContext } from '../dispatcher/dispatcher-types.ts';
import { LakefnError } from '../errors/index.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import type { UdfHook } from '../udf/udf-hook.ts';
import type { DuckDbWorkerData, MainToWorkerMessage, PrefetchSummary, QueryColumn, ResultValue, WorkerToMainMessage } from './duckdb-worker-protocol.ts';
import { startTypeScriptWorker } from './start-typescript-worker.ts';
import { serializeError, serveSyncBridge } from './sync-bridge-server.ts';

export interface DuckDbSessionOptions {
  /** Evaluates the functions (dispatcher on this thread); `endQuery` writes a query's merged audit summaries. */
  readonly hook: Pick<UdfHook, 'evaluate' | 'listFunctions' | 'endQuery'>;
  /** The functions to register. @default every function in the hook's catalog */
  readonly functions?: readonly FunctionRecord[];
  /** DuckDB `threads`. @default 2 */
  readonly threads?: number;
  /** How long one UDF chunk may wait for the dispatcher. @default 600_000 */
  readonly bridgeTimeoutMs?: number;
  /** Most distinct argument tuples prefetched per call site (0 disables prefetch). @default 1_000_000 */
  readonly prefetchMaxRows?: number;
  /** Tuples per prefetch block sent to the dispatcher (rounded to a multiple of the function's max_batch_rows). @default 4096 */
  readonly prefetchBlockRows?: number;
}

export interface QueryOptions extends CallContext {
  /** Evaluate DISTINCT argument tuples of immutable functions before the query (see plan-prefetch.ts). @default true */
  readonly prefetch?: boolean;
}

export interface QueryResult {
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly ResultValue[][];
  /** Per function: distinct tuples prefetched, and how many of them the dispatcher failed (left to the bridge). */
  readonly prefetched: readonly PrefetchSummary[];
}

/** A DuckDB database (in memory, on a worker thread) in which every catalog function is a scalar function. */
export interface DuckDbSession {
  /** Functions registered in DuckDB, and those DuckDB refused (e.g. a name clashing with a built-in). */
  readonly registered: readonly string[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  /** Runs SQL (several statements allowed: the last one's rows are returned). Queries run one at a time. */
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  /** Waits for running queries, closes DuckDB and ends the worker thread. Idempotent. */
  close(): Promise<void>;
}

const DEFAULTS = { threads: 2, bridgeTimeoutMs: 600_000, prefetchMaxRows: 1_000_000, prefetchBlockRows: 4096 } as const;
const WORKER_EXIT_TIMEOUT_MS = 5000;

/**
 * Opens a DuckDB session: DuckDB runs in a worker thread (its UDF callbacks block that thread on the synchronous
 * bridge) and the hook's async dispatcher runs here; this thread is never blocked.
 */
export async function createDuckDbSession(options: DuckDbSessionOptions): Promise<DuckDbSession> {
  const functions = options.functions ?? (await options.hook.listFunctions());
  const channel = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const contexts = new Map<number, CallContext>();
  const data: DuckDbWorkerData = {
    functions: functions.map((fn) => ({ name: fn.name, argumentTypes: fn.arguments.map((argument) => argument.type), returnType: fn.returnType, immutable: fn.properties.volatility === 'immutable', maxBatchRows: fn.properties.maxBatchRows })),
    bridgePort: channel.port2,
    signal,
    threads: options.threads ?? DEFAULTS.threads,
    bridgeTimeoutMs: options.bridgeTimeoutMs ?? DEFAULTS.bridgeTimeoutMs,
    prefetchMaxRows: options.prefetchMaxRows ?? DEFAULTS.prefetchMaxRows,
    prefetchBlockRows: options.prefetchBlockRows ?? DEFAULTS.prefetchBlockRows,
  };
  serveSyncBridge(channel.port1, signal, (name, rows, context) => options.hook.evaluate(name, rows, context), (queryId) => contexts.get(queryId) ?? {});
  const worker = startTypeScriptWorker(new URL('./duckdb-worker.ts', import.meta.url), data, [channel.port2]);
  return new Session(worker, channel.port1, contexts, options.hook).ready();
}

type Pending = { resolve: (result: QueryResult) => void; reject: (error: Error) => void };

class Session implements DuckDbSession {
  registered: readonly string[] = [];
  skipped: readonly { name: string; reason: string }[] = [];
  readonly #worker: Worker;
  readonly #bridgePort: MessagePort;
  readonly #contexts: Map<number, CallContext>;
  readonly #hook: Pick<UdfHook, 'evaluate' | 'endQuery'>;
  readonly #pending = new Map<number, Pending>();
  readonly #exited: Promise<void>;
  #onReady: ((error?: Error) => void) | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #nextId = 1;
  #closing: Promise<void> | undefined;
  #failure: Error | undefined;

  constructor(worker: Worker, bridgePort: MessagePort, contexts: Map<number, CallContext>, hook: Pick<UdfHook, 'evaluate' | 'endQuery'>) {
    this.#worker = worker;
    this.#bridgePort = bridgePort;
    this.#contexts = contexts;
    this.#hook = hook;
    worker.on('message', (message: WorkerToMainMessage) => this.#receive(message));
    worker.on('error', (error) => this.#fail(new LakefnError('E_INTERNAL', `DuckDB worker failed: ${error.message}`, { cause: error })));
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    void this.#exited.then(() => this.#fail(new LakefnError('E_INTERNAL', 'DuckDB worker exited')));
  }

  ready(): Promise<DuckDbSession> {
    return new Promise((resolve, reject) => {
      this.#onReady = (error) => (error === undefined ? resolve(this) : reject(error));
    });
  }

  query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    if (this.#closing !== undefined) return Promise.reject(new LakefnError('E_DISPATCHER_CLOSED', 'the DuckDB session is closed'));
    const run = this.#tail.then(() => this.#run(sql, options));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  #run(sql: string, options: QueryOptions): Promise<QueryResult> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    const { prefetch = true, ...context } = options;
    const queryId = context.queryId ?? `duckdb-${randomUUID().slice(0, 8)}-${id}`;
    // DuckDB calls a function once per chunk: the audit keeps one summary per query and function
    this.#contexts.set(id, { ...context, queryId, summaryPerQuery: true });
    const onAbort = (): void => this.#post({ type: 'interrupt', id });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    return new Promise<QueryResult>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#post({ type: 'query', id, sql, prefetch });
    }).finally(() => {
      options.signal?.removeEventListener('abort', onAbort);
      this.#contexts.delete(id);
      this.#pending.delete(id);
      this.#hook.endQuery?.(queryId);
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#tail;
      if (this.#failure === undefined) this.#post({ type: 'close' });
      const timer = setTimeout(() => void this.#worker.terminate(), WORKER_EXIT_TIMEOUT_MS);
      await this.#exited;
      clearTimeout(timer);
      this.#bridgePort.close();
    })();
    return this.#closing;
  }

  #receive(message: WorkerToMainMessage): void {
    switch (message.type) {
      case 'ready':
        this.registered = message.registered;
        this.skipped = message.skipped;
        this.#onReady?.();
        break;
      case 'prefetch':
        void this.#hook.evaluate(message.functionName, message.rows, this.#contexts.get(message.queryId) ?? {}).then(
          (results) => this.#post({ type: 'prefetch-result', id: message.id, results }),
          (error: unknown) => this.#post({ type: 'prefetch-result', id: message.id, error: serializeError(error) }),
        );
        break;
      case 'result':
        this.#pending.get(message.id)?.resolve({ columns: message.columns, rows: message.rows, prefetched: message.prefetched });
        break;
      case 'error': {
        const cause = message.cause;
        const error = new LakefnError('E_QUERY', message.message, {
          ...(cause === undefined ? {} : { retryable: cause.retryable, data: { cause_code: cause.code } }),
        });
        this.#pending.get(message.id)?.reject(error);
        break;
      }
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#onReady?.(error);
    for (const pending of this.#pending.values()) pending.reject(error);
  }

  #post(message: MainToWorkerMessage): void {
    if (this.#failure === undefined) this.#worker.postMessage(message);
  }
}
