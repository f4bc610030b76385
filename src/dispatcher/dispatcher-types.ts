import type { LakefnError } from '../errors/index.ts';
import type { AuthenticatedPrincipal } from '../governance/authenticated-principal.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';

/** What the caller (a SQL engine) knows about the call. */
export interface CallContext {
  readonly queryId?: string;
  /** The user name sent to the function in each batch envelope (informational; `principal` is who is authorized). */
  readonly user?: string;
  /**
   * Who calls, as its entry point authenticated it: the authorization function decides the call (and every batch after
   * a catalog change) as this principal. Absent: the runtime's own principal (the process's local super administrator).
   */
  readonly principal?: AuthenticatedPrincipal;
  /** The project the function name resolves in. Absent: the runtime's (`--project`, LAKEFN_PROJECT, else `default`). */
  readonly project?: string;
  /**
   * The calls of one query that calls a function many times (DuckDB: once per chunk) share one audit summary per
   * function: their INVOKE_SUMMARY records are merged until the caller ends the query (`UdfHook.endQuery`, or close).
   */
  readonly summaryPerQuery?: boolean;
  /** Absolute deadline (epoch ms): retries and new batches stop at it with E_DEADLINE_EXCEEDED. */
  readonly deadline?: number;
  readonly signal?: AbortSignal;
}

/** A function resolved from the catalog together with its connection (and, under governance, the call's guard). */
export interface ResolvedFunction {
  readonly function: FunctionRecord;
  readonly connection: ConnectionRecord;
  readonly guard?: CallGuard;
}

/**
 * What governance attaches to a call: the dispatcher asks it before each batch (a REVOKE takes effect at the next batch
 * of a running call), reports each remote attempt when it wants them, and reports the call's end (its audit summary).
 */
export interface CallGuard {
  /** Before a batch is sent: resolves when the call is still authorized, throws (E_ACCESS_DENIED, …) when not. */
  beforeBatch(): Promise<void>;
  /** Every remote attempt (INVOKE_ATTEMPT), when the function's audit_level asks for them. */
  readonly onAttempt?: ((attempt: AttemptReport) => void) | undefined;
  /** Once, when the call ended (or failed to start). Must not throw. */
  end(summary: CallSummary): void;
}

export interface AttemptReport {
  readonly queryId: string;
  readonly batchId: string;
  /** 1-based attempt of this batch. */
  readonly attempt: number;
  readonly status: 'OK' | 'ERROR';
  readonly latencyMs: number;
  readonly bytesOut: number;
  readonly bytesIn: number;
  readonly errorCode?: string | undefined;
  readonly httpStatus?: number | undefined;
  readonly requestId?: string | undefined;
}

export interface CallSummary {
  readonly queryId: string;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly stats: DispatchStats;
  /** The call's per-attempt latencies as [bucket, count] pairs (LatencyHistogram.sparseCounts), mergeable. */
  readonly latencyHistogram: readonly (readonly [number, number])[];
  /** A sample of the providers' request ids (the first ones). */
  readonly requestIds: readonly string[];
  /** Why the call failed, was cancelled or stopped; undefined when every row was answered. */
  readonly failure: LakefnError | undefined;
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
  /** The caller's query is over: the calls it made with `summaryPerQuery` get their merged audit summaries written. */
  endQuery(queryId: string): void;
  /** Stops accepting work and waits for in-flight batches. */
  close(): Promise<void>;
  /** Aborts in-flight batches (they reject with E_DISPATCHER_DESTROYED). */
  destroy(error?: Error): Promise<void>;
}
