import type { CallContext, CallResult, DispatchEvent, DispatchStats, ResultStream } from '../dispatcher/dispatcher-types.ts';
import type { AuditWriterStats } from '../governance/audit-writer.ts';
import type { FunctionRecord } from '../spec/function-record.ts';

/** What a SQL engine passes with each call: query id, the principal (`user`), an absolute deadline, an AbortSignal. */
export type UdfCallContext = CallContext;

/**
 * The UDF hook: what a TypeScript SQL engine (and `lakefn serve`, and the DuckDB integration) calls. Values follow
 * the representation documented in src/spec/sql-type.ts (BIGINT as bigint, DECIMAL as exact text, …).
 */
export interface UdfHook {
  /** Exactly one result per row, in input order, or a rejection with a LakefnError naming function/connection/batch. */
  evaluate(functionName: string, rows: readonly (readonly unknown[])[], context?: UdfCallContext): Promise<unknown[]>;
  /** `evaluate` that also returns this call's stats (rows, batches, retries, throttles, latency). */
  evaluateWithStats(functionName: string, rows: readonly (readonly unknown[])[], context?: UdfCallContext): Promise<CallResult>;
  /** Streaming form: reads `rows` only as fast as batches complete; yields results in input order. */
  evaluateStream(functionName: string, rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>, context?: UdfCallContext): ResultStream;
  /** Cumulative dispatch stats, for all functions or one. */
  stats(functionName?: string): DispatchStats;
  /** Subscribes to dispatch events (progress bars, metrics); returns the unsubscribe function. */
  on(listener: (event: DispatchEvent) => void): () => void;
  /**
   * The catalog record of a function the caller (`context.principal`, else the hook's) may see: argument and return types
   * for engines. E_NO_SUCH_FUNCTION ("does not exist or not authorized") otherwise.
   */
  describe(functionName: string, context?: UdfCallContext): Promise<FunctionRecord>;
  /** The EXTERNAL FUNCTIONs of the (context's) project the caller may see. */
  listFunctions(context?: UdfCallContext): Promise<FunctionRecord[]>;
  /** The audit writer's counters (records written, failed, queued) for `/metrics`. */
  auditStats?(): AuditWriterStats;
  /** A query whose calls had `summaryPerQuery` is over: write its merged INVOKE_SUMMARY records (one per function). */
  endQuery?(queryId: string): void;
  /** Waits for in-flight calls, then releases what the hook opened (dispatcher, store); idempotent. */
  close(): Promise<void>;
}
