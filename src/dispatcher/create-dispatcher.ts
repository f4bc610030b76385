import { randomBytes } from 'node:crypto';
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { resolveFunctionEnvelope } from '../codec/api-gateway-envelope.ts';
import { createWireCodec } from '../codec/create-wire-codec.ts';
import { providerDefinition } from '../registry/providers.ts';
import { LakefnError, expectInteger, expectNumber } from '../errors/index.ts';
import { type PlannedBatch } from './batch-builder.ts';
import { DispatchCall, type DispatcherCore } from './dispatch-call.ts';
import { DispatchQueues } from './dispatch-queues.ts';
import type { DispatcherOptions } from './dispatcher-options.ts';
import type { CallContext, CallResult, Dispatcher, DispatchEvent, DispatchStats, ResultStream } from './dispatcher-types.ts';
import { locateError } from './locate-error.ts';
import { RetryBudget } from './retry-budget.ts';
import { type RowSource, runCall } from './run-call.ts';
import { type ConcurrencyReading, mergeStats, NO_CONCURRENCY, StatsCollector } from './stats-collector.ts';
import { createResultStream } from './result-stream.ts';

/**
 * Creates the dispatcher: batching, three levels of concurrency limits with AIMD per function and per
 * connection, retries with a shared budget, result re-association and stats. See SPEC §5 and
 * governance-security §6.8.
 *
 * @example
 * const dispatcher = createDispatcher({ resolveFunction, adapterFor: registry.adapterFor, credentialsFor: broker.sourceFor });
 * const values = await dispatcher.evaluate('upper', [['a'], ['b']], { queryId: 'q1', user: 'alice' });
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  return new LakefnDispatcher(options);
}

class LakefnDispatcher implements Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #core: DispatcherCore;
  readonly #listeners = new Set<(event: DispatchEvent) => void>();
  /** Cumulative stats per SQL function name; concurrency reads the function's current lane. */
  readonly #functionStats = new Map<string, { collector: StatsCollector; limit: () => ConcurrencyReading }>();
  readonly #calls = new Set<DispatchCall>();
  readonly #settled = new Set<Promise<void>>();
  #state: 'open' | 'closed' | 'destroyed' = 'open';
  #destroyError: Error | undefined;

  constructor(options: DispatcherOptions) {
    const retry = options.retry ?? {};
    const globalConcurrency = positiveInteger(options.globalConcurrency ?? 64, 'globalConcurrency');
    const perConnectionConcurrency = positiveInteger(options.perConnectionConcurrency ?? 32, 'perConnectionConcurrency');
    this.#options = options;
    this.#core = {
      queues: new DispatchQueues(globalConcurrency, perConnectionConcurrency),
      budget: retry.budget instanceof RetryBudget ? retry.budget : new RetryBudget(retry.budget),
      backoff: {
        baseDelayMs: nonNegative(retry.baseDelayMs ?? 100, 'retry.baseDelayMs'),
        throttleBaseDelayMs: nonNegative(retry.throttleBaseDelayMs ?? 500, 'retry.throttleBaseDelayMs'),
        maxDelayMs: nonNegative(retry.maxDelayMs ?? 20_000, 'retry.maxDelayMs'),
      },
      maxAttempts: positiveInteger(retry.maxAttempts ?? 6, 'retry.maxAttempts'),
      batchBudgetMs: nonNegative(retry.batchBudgetMs ?? 60_000, 'retry.batchBudgetMs'),
      payloadHeadroom: fraction(options.payloadHeadroom ?? 0.05, 'payloadHeadroom'),
      clock: options.clock ?? Date.now,
      random: options.random ?? Math.random,
      sleep: options.sleep ?? defaultSleep,
      emit: (event) => this.#emit(event),
    };
  }

  async evaluate(functionName: string, rows: readonly (readonly unknown[])[], context: CallContext = {}): Promise<unknown[]> {
    return (await this.evaluateWithStats(functionName, rows, context)).results;
  }

  async evaluateWithStats(functionName: string, rows: readonly (readonly unknown[])[], context: CallContext = {}): Promise<CallResult> {
    const output: unknown[] = new Array<unknown>(rows.length);
    let call: DispatchCall | undefined;
    for await (const _batch of this.#run(functionName, rows, context, output, (started) => (call = started))) {
      // results land in `output` directly
    }
    return { results: output, stats: call === undefined ? emptyStats() : call.stats.snapshot() };
  }

  evaluateStream(functionName: string, rows: RowSource, context: CallContext = {}): ResultStream {
    let call: DispatchCall | undefined;
    const batches = async function* (this: LakefnDispatcher): AsyncGenerator<readonly unknown[]> {
      for await (const batch of this.#run(functionName, rows, context, undefined, (started) => (call = started))) yield batch.results;
    }.bind(this);
    return createResultStream(batches, () => (call === undefined ? emptyStats() : call.stats.snapshot()));
  }

  stats(functionName?: string): DispatchStats {
    if (functionName === undefined) return mergeStats([...this.#functionStats.values()].map((entry) => entry.collector));
    return this.#functionStats.get(functionName)?.collector.snapshot() ?? emptyStats();
  }

  on(listener: (event: DispatchEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  endQuery(queryId: string): void {
    this.#options.onQueryEnd?.(queryId);
  }

  async close(): Promise<void> {
    if (this.#state === 'open') this.#state = 'closed';
    await Promise.all(this.#settled);
  }

  async destroy(error?: Error): Promise<void> {
    if (this.#state !== 'destroyed') {
      this.#state = 'destroyed';
      this.#destroyError = error;
      for (const call of this.#calls) call.fail(this.#destroyedError(call));
    }
    await Promise.all(this.#settled);
  }

  async *#run(functionName: string, rows: RowSource, context: CallContext, output: unknown[] | undefined, onStart: (call: DispatchCall) => void): AsyncGenerator<PlannedBatch> {
    this.#assertOpen();
    const call = await this.#startCall(functionName, context);
    this.#assertOpen();
    onStart(call);
    let release = (): void => undefined;
    const settled = new Promise<void>((resolve) => (release = resolve));
    this.#calls.add(call);
    this.#settled.add(settled);
    try {
      yield* runCall(call, rows, output);
    } finally {
      // the summary (audit) is taken before the listeners go: it reads the call's final failure and stats
      call.guard?.end(call.summary());
      call.dispose();
      this.#calls.delete(call);
      this.#settled.delete(settled);
      release();
    }
  }

  async #startCall(functionName: string, context: CallContext): Promise<DispatchCall> {
    const options = this.#options;
    const resolved = await options.resolveFunction(functionName, context);
    const place = { function: resolved.function.name, connection: resolved.connection.name, provider: resolved.connection.provider };
    try {
      const adapter = options.adapterFor(resolved.connection.provider);
      const envelope = resolveFunctionEnvelope(resolved.function.properties, providerDefinition(resolved.connection.provider));
      const codec = (options.createCodec ?? createWireCodec)(resolved.function, { envelope });
      const lane = this.#core.queues.lane(resolved);
      // once per call: what the cloud needs from the connection (hosts, account…), checked before anything is sent
      const binding = await adapter.bindConnection(resolved.connection);
      const credentials = options.credentialsFor(resolved.connection);
      let functionStats = this.#functionStats.get(resolved.function.name);
      const limit = (): ConcurrencyReading => ({ function: lane.concurrency.limit, connection: lane.connectionConcurrency.limit, connectionId: lane.connectionId });
      if (functionStats === undefined) {
        const entry: { collector: StatsCollector; limit: () => ConcurrencyReading } = { collector: new StatsCollector(() => entry.limit()), limit };
        functionStats = entry;
        this.#functionStats.set(resolved.function.name, entry);
      }
      functionStats.limit = limit;
      const stats = new StatsCollector(limit, functionStats.collector);
      const queryId = context.queryId ?? `q${randomBytes(6).toString('hex')}`;
      return new DispatchCall({ core: this.#core, resolved, adapter, binding, codec, lane, credentials, stats, queryId, context });
    } catch (error) {
      const located = locateError(error, place);
      const now = this.#core.clock();
      resolved.guard?.end({
        queryId: context.queryId ?? '', startedAt: now, endedAt: now, stats: emptyStats(), latencyHistogram: [], requestIds: [], failure: located,
      });
      throw located;
    }
  }

  #assertOpen(): void {
    if (this.#state === 'destroyed') throw new LakefnError('E_DISPATCHER_DESTROYED', 'the dispatcher was destroyed; create a new one', this.#destroyError === undefined ? {} : { cause: this.#destroyError });
    if (this.#state === 'closed') throw new LakefnError('E_DISPATCHER_CLOSED', 'the dispatcher is closed and accepts no new calls');
  }

  #destroyedError(call: DispatchCall): LakefnError {
    return locateError(
      new LakefnError('E_DISPATCHER_DESTROYED', 'the dispatcher was destroyed while the call was running; in-flight invocations were aborted', this.#destroyError === undefined ? {} : { cause: this.#destroyError }),
      call.place,
    );
  }

  #emit(event: DispatchEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // a failing listener (progress bar, metrics) must never break dispatch
      }
    }
  }
}

async function defaultSleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  try {
    await sleepTimer(milliseconds, undefined, { signal });
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  }
}

function emptyStats(): DispatchStats {
  return new StatsCollector(() => NO_CONCURRENCY).snapshot();
}

function positiveInteger(value: number, name: string): number {
  return expectInteger(value, name, 1);
}

function nonNegative(value: number, name: string): number {
  return expectNumber(value, name, 0);
}

function fraction(value: number, name: string): number {
  return expectNumber(value, name, 0, 1);
}
