import { setMaxListeners } from 'node:events';
import type { BatchContext, WireCodec } from '../codec/wire-codec.ts';
import type { LakefnError } from '../errors/index.ts';
import type { ConnectionBindingV1, ProviderAdapterV1 } from '../spec/provider-adapter-v1.ts';
import type { CredentialSource } from '../spec/temporary-credentials.ts';
import { type BatchByteLimit, batchByteLimit } from './batch-byte-limit.ts';
import type { DispatchQueues, FunctionLane } from './dispatch-queues.ts';
import type { CallContext, CallGuard, CallSummary, DispatchEvent, ResolvedFunction } from './dispatcher-types.ts';

/** How many provider request ids a call's audit summary keeps. */
const REQUEST_ID_SAMPLE = 10;
import { type ErrorPlace, errorAt } from './locate-error.ts';
import type { RetryBudget } from './retry-budget.ts';
import type { BackoffSettings } from './retry-strategy.ts';
import type { StatsCollector } from './stats-collector.ts';

/** What every call of one dispatcher shares. */
export interface DispatcherCore {
  readonly queues: DispatchQueues;
  readonly budget: RetryBudget;
  readonly backoff: BackoffSettings;
  readonly maxAttempts: number;
  readonly batchBudgetMs: number;
  readonly payloadHeadroom: number;
  readonly clock: () => number;
  readonly random: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly emit: (event: DispatchEvent) => void;
}

export interface DispatchCallParts {
  readonly core: DispatcherCore;
  readonly resolved: ResolvedFunction;
  readonly adapter: ProviderAdapterV1;
  /** What the adapter resolved from the connection; passed back on every invocation. */
  readonly binding: ConnectionBindingV1;
  readonly codec: WireCodec;
  readonly lane: FunctionLane;
  readonly credentials: CredentialSource;
  readonly stats: StatsCollector;
  readonly queryId: string;
  readonly context: CallContext;
}

/**
 * The state of one evaluate / evaluateStream call. The first fatal error wins: it is kept as `failure`
 * and aborts `signal`, which stops new batches and aborts the call's in-flight invocations. Cancellation,
 * the deadline and dispatcher destruction enter through the same door.
 */
export class DispatchCall {
  readonly core: DispatcherCore;
  readonly resolved: ResolvedFunction;
  readonly adapter: ProviderAdapterV1;
  readonly binding: ConnectionBindingV1;
  readonly codec: WireCodec;
  readonly lane: FunctionLane;
  readonly credentials: CredentialSource;
  readonly stats: StatsCollector;
  readonly place: ErrorPlace;
  readonly queryId: string;
  readonly user: string;
  readonly deadline: number | undefined;
  readonly byteLimit: BatchByteLimit;
  readonly #controller = new AbortController();
  readonly #contextSignal: AbortSignal | undefined;
  readonly #onContextAbort = (): void => {
    this.fail(errorAt('E_CANCELLED', this.place, 'the call was cancelled by its caller; no new batch is sent and in-flight invocations were aborted'));
  };
  #deadlineTimer: NodeJS.Timeout | undefined;
  #failure: LakefnError | undefined;
  #sequence = 0;
  /** Governance's guard of this call (per-batch authorization, audit), when the runtime governs it. */
  readonly guard: CallGuard | undefined;
  readonly startedAt: number;
  /** The first providers' request ids (the audit summary's sample). */
  readonly requestIds: string[] = [];

  constructor(parts: DispatchCallParts) {
    this.core = parts.core;
    this.resolved = parts.resolved;
    this.adapter = parts.adapter;
    this.codec = parts.codec;
    this.lane = parts.lane;
    this.binding = parts.binding;
    this.credentials = parts.credentials;
    this.stats = parts.stats;
    this.queryId = parts.queryId;
    this.guard = parts.resolved.guard;
    this.startedAt = parts.core.clock();
    this.user = parts.context.user ?? '';
    this.deadline = parts.context.deadline;
    this.byteLimit = batchByteLimit(parts.resolved.function.properties, parts.adapter, parts.core.payloadHeadroom);
    this.place = { function: parts.resolved.function.name, connection: parts.resolved.connection.name, provider: parts.resolved.connection.provider };
    // one listener per in-flight invocation: a window of batches legitimately exceeds the default of 10
    setMaxListeners(0, this.#controller.signal);
    this.#contextSignal = parts.context.signal;
    if (this.#contextSignal?.aborted === true) this.#onContextAbort();
    else this.#contextSignal?.addEventListener('abort', this.#onContextAbort, { once: true });
    if (this.deadline !== undefined && this.#failure === undefined) {
      const remaining = this.deadline - this.core.clock();
      if (remaining <= 0) this.#deadlineExceeded();
      else {
        this.#deadlineTimer = setTimeout(() => this.#deadlineExceeded(), remaining);
        this.#deadlineTimer.unref();
      }
    }
  }

  /** Aborted when the call failed, was cancelled, passed its deadline or the dispatcher was destroyed. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get failure(): LakefnError | undefined {
    return this.#failure;
  }

  /** The next batch's id `<queryId>:<function>:<n>`: the idempotency key, identical on every attempt. */
  nextBatchContext(): BatchContext {
    const batchId = `${this.queryId}:${this.resolved.function.name}:${this.#sequence}`;
    this.#sequence += 1;
    return { batchId, queryId: this.queryId, user: this.user };
  }

  /**
   * Records the first fatal error and stops the call; later errors are consequences and are dropped.
   * `batchFailed` says the error came from a batch (counted in stats, `batch-failed` event).
   */
  fail(error: LakefnError, batchFailed = false): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    if (batchFailed) {
      this.stats.recordBatchFailed();
      this.core.emit({ type: 'batch-failed', function: this.place.function, connection: this.place.connection, code: error.code });
    }
    this.#controller.abort(error);
  }

  throwIfStopped(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Keeps a provider request id for the audit summary's sample. */
  noteRequestId(requestId: string | undefined): void {
    if (requestId !== undefined && this.requestIds.length < REQUEST_ID_SAMPLE) this.requestIds.push(requestId);
  }

  /** What the call did, for its guard's audit summary. */
  summary(): CallSummary {
    return {
      queryId: this.queryId,
      startedAt: this.startedAt,
      endedAt: this.core.clock(),
      stats: this.stats.snapshot(),
      latencyHistogram: this.stats.latency.sparseCounts(),
      requestIds: [...this.requestIds],
      failure: this.#failure,
    };
  }

  /** Releases timers and listeners (the call keeps no reference to the caller's signal afterwards). */
  dispose(): void {
    if (this.#deadlineTimer !== undefined) clearTimeout(this.#deadlineTimer);
    this.#contextSignal?.removeEventListener('abort', this.#onContextAbort);
  }

  #deadlineExceeded(): void {
    this.fail(errorAt('E_DEADLINE_EXCEEDED', this.place, "the call's deadline passed before all rows were done; raise the query deadline or the function's capacity"));
  }
}
