import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';

/** What the caller (a SQL engine) knows about the call. `user` is the principal, kept for authorization. */
export interface CallContext {
  readonly queryId?: string;
  readonly user?: string;
  /** Absolute deadline (epoch ms): retries and new batches stop at it with E_DEADLINE_EXCEEDED. */
  readonly deadline?: number;
  readonly signal?: AbortSignal;
}

/** A function resolved from the catalog together with its connection. */
export interface ResolvedFunction {
  readonly function: FunctionRecord;
  readonly connection: ConnectionRecord;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** Per-call and cumulative counters (same shape). Latencies are per batch attempt, in ms. */
export interface DispatchStats {
  readonly rows: number;
  readonly batches: number;
  readonly bytesOut: number;
  readonly bytesIn: number;
  readonly attempts: number;
  readonly retries: number;
  readonly retriesByCause: Readonly<Record<string, number>>;
  readonly throttles: number;
  readonly rowErrors: number;
  readonly nullSkipped: number;
  readonly dedupSaved: number;
  readonly failedBatches: number;
  /** The function's adaptive concurrency limit (AIMD, per function on its connection). */
  readonly currentConcurrency: number;
  /**
   * The adaptive limit of the connection(s) the function runs on (AIMD shared by every function of the
   * connection: one account's quota); cumulative stats over all functions sum each connection once.
   * Always set by the dispatcher; optional only so that hand-written stats (test doubles) stay valid.
   */
  readonly connectionConcurrency?: number;
  readonly latencyMs: LatencySummary;
}

/** Events for progress bars and metrics (noun-verb names). */
export type DispatchEvent =
  | { readonly type: 'batch-end'; readonly function: string; readonly connection: string; readonly rows: number; readonly latencyMs: number; readonly attempts: number }
  | { readonly type: 'batch-retry'; readonly function: string; readonly connection: string; readonly cause: string; readonly delayMs: number }
  /**
   * Every throttled attempt (as many as `DispatchStats.throttles`). `cut` says this throttle lowered the function's
   * limit, `connectionCut` the connection's; `concurrency` and `connectionConcurrency` are the limits afterwards.
   */
  | {
      readonly type: 'batch-throttled';
      readonly function: string;
      readonly connection: string;
      readonly concurrency: number;
      readonly connectionConcurrency: number;
      readonly cut: boolean;
      readonly connectionCut: boolean;
    }
  | { readonly type: 'batch-failed'; readonly function: string; readonly connection: string; readonly code: string };

/** `evaluateWithStats`: the results and the call's own stats. */
export interface CallResult {
  readonly results: unknown[];
  readonly stats: DispatchStats;
}

/**
 * What `evaluateStream` returns: an AsyncIterable of results (one per input row, in input order), plus a
 * batch-at-a-time view for bulk consumers and the call's stats. Iterate it once, by rows or by batches.
 */
export interface ResultStream extends AsyncIterable<unknown> {
  /** The same results, one array per batch in input order (one promise per batch instead of per row). */
  batches(): AsyncIterable<readonly unknown[]>;
  /** This call's stats so far (final once iteration has ended; zeros before it starts). */
  stats(): DispatchStats;
}

/** The public face of the dispatcher, used by the UDF hook, `lakefn invoke`, `lakefn serve` and DuckDB. */
export interface Dispatcher {
  /** Exactly one value per row, in input order, or a rejection with a LakefnError naming function/connection/batch/row. */
  evaluate(functionName: string, rows: readonly (readonly unknown[])[], context?: CallContext): Promise<unknown[]>;
  /** Streaming: reads input only as batches complete (bounded memory); yields results in input order. */
  evaluateStream(functionName: string, rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>, context?: CallContext): ResultStream;
  /** `evaluate` that also returns the call's stats. */
  evaluateWithStats(functionName: string, rows: readonly (readonly unknown[])[], context?: CallContext): Promise<CallResult>;
  /** Cumulative stats, for all functions or one. */
  stats(functionName?: string): DispatchStats;
  on(listener: (event: DispatchEvent) => void): () => void;
  /** Stops accepting work and waits for in-flight batches. */
  close(): Promise<void>;
  /** Aborts in-flight batches (they reject with E_DISPATCHER_DESTROYED). */
  destroy(error?: Error): Promise<void>;
}
