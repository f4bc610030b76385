import { describeError, isNotExecutedCode, LakefnError, toLakefnError } from '../errors/index.ts';
import type { InvokeResultV1 } from '../spec/provider-adapter-v1.ts';
import type { TemporaryCredentials } from '../spec/temporary-credentials.ts';
import type { DispatchCall } from './dispatch-call.ts';
import { FIRST_ATTEMPT_PRIORITY, RETRY_PRIORITY } from './dispatch-queues.ts';
import { computeRetryDelay } from './retry-strategy.ts';

/** The accepted reply and what it took to get it. */
export interface InvokeOutcome {
  readonly reply: InvokeResultV1;
  readonly attempts: number;
  /** Of the successful attempt. */
  readonly latencyMs: number;
}

/** How long past the function's timeout we wait for the adapter's own timeout error before aborting it. */
const TIMEOUT_GRACE_MS = 250;

/**
 * Sends one batch's payload until a reply arrives or the retry policy gives up, and returns the reply.
 * Throws bare LakefnErrors (the caller adds function, connection and batch).
 *
 * Invocations are POSTs, which HTTP clients do not retry because they are not idempotent. lakefn retries
 * them because every attempt carries the same batch id: the documented idempotency key that functions
 * use to recognise a repeated batch (at-least-once by default). `retry='none'` gives at-most-once: once a
 * request may have reached the function it is never sent again. A refusal that proves the function did not
 * run (NOT_EXECUTED_CODES: throttled, payload too large, auth refused) is no execution, so it is re-sent
 * (or split) under `retry='none'` too; transport errors, timeouts and 5xx are ambiguous and end the batch.
 */
export async function invokeWithRetries(call: DispatchCall, payload: Uint8Array, batchId = ''): Promise<InvokeOutcome> {
  const { core, lane, stats } = call;
  const properties = call.resolved.function.properties;
  const firstAttemptAt = core.clock();
  let attempts = 0;
  let spent = 0;
  let forceRefresh = false;
  let authRetried = false;
  for (;;) {
    call.throwIfStopped();
    attempts += 1;
    let sent = false;
    let throttleCut = false;
    let connectionThrottleCut = false;
    let latencyMs = 0;
    try {
      const reply = await core.queues.run(lane, attempts === 1 ? FIRST_ATTEMPT_PRIORITY : RETRY_PRIORITY, async () => {
        // the slot may come long after queueing: the call may have stopped meanwhile
        call.throwIfStopped();
        const credentials = await call.credentials(forceRefresh ? { forceRefresh: true } : undefined);
        forceRefresh = false;
        call.throwIfStopped();
        const ticket = lane.concurrency.beginAttempt();
        const connectionTicket = lane.connectionConcurrency.beginAttempt();
        sent = true;
        stats.recordAttempt(payload.byteLength);
        const startedAt = core.clock();
        try {
          const result = await invokeOnce(call, payload, credentials);
          lane.concurrency.endAttempt(ticket, 'success');
          lane.connectionConcurrency.endAttempt(connectionTicket, 'success');
          return result;
        } catch (error) {
          const outcome = LakefnError.isInstance(error) && error.code === 'E_THROTTLED' ? 'throttled' : 'other';
          throttleCut = lane.concurrency.endAttempt(ticket, outcome);
          connectionThrottleCut = lane.connectionConcurrency.endAttempt(connectionTicket, outcome);
          throw error;
        } finally {
          latencyMs = core.clock() - startedAt;
          stats.recordLatency(latencyMs);
        }
      });
      stats.recordBytesIn(reply.payload.byteLength);
      core.budget.recordSuccess(spent);
      call.guard?.onAttempt?.({
        queryId: call.queryId, batchId, attempt: attempts, status: 'OK', latencyMs, bytesOut: payload.byteLength, bytesIn: reply.payload.byteLength, requestId: reply.requestId,
      });
      return { reply, attempts, latencyMs };
    } catch (thrown) {
      const error = toLakefnError(thrown);
      if (sent) {
        call.guard?.onAttempt?.({
          queryId: call.queryId, batchId, attempt: attempts, status: 'ERROR', latencyMs, bytesOut: payload.byteLength, bytesIn: 0,
          errorCode: error.code, httpStatus: error.provider?.status, requestId: error.provider?.requestId,
        });
      }
      call.throwIfStopped();
      if (error.code === 'E_THROTTLED' && sent) {
        // every throttle is an event (metrics count them like stats do); `cut` tells which ones moved a limit
        stats.recordThrottle();
        core.emit({
          type: 'batch-throttled',
          function: call.place.function,
          connection: call.place.connection,
          concurrency: lane.concurrency.limit,
          connectionConcurrency: lane.connectionConcurrency.limit,
          cut: throttleCut,
          connectionCut: connectionThrottleCut,
        });
      }
      // sendBatch splits the batch (or, when the function ran and retry='none', refuses to)
      if (error.code === 'E_PAYLOAD_TOO_LARGE' || error.code === 'E_RESPONSE_TOO_LARGE') throw error;
      if (properties.retry === 'none' && sent && !isNotExecutedCode(error.code)) {
        // at most once: the request may have reached the function, so it is never sent again
        throw error.retryable ? withHint(error, "the function has retry='none' (at most once) and may have run, so the batch was not sent again") : error;
      }
      if (error.code === 'E_AUTH' && !authRetried) {
        // credentials may have been revoked or rotated early: refresh once and try once more, without backoff
        authRetried = true;
        forceRefresh = true;
        stats.recordRetry(error.code);
        core.emit({ type: 'batch-retry', function: call.place.function, connection: call.place.connection, cause: error.code, delayMs: 0 });
        continue;
      }
      if (!error.retryable) throw error;
      if (attempts >= core.maxAttempts) {
        throw exhausted(error, `gave up after ${attempts} attempts`);
      }
      const cost = core.budget.tryAcquire(error);
      if (cost === 0) throw exhausted(error, 'the shared retry budget is empty (too many failures across calls; retrying would feed a retry storm)');
      spent += cost;
      const observedLatencyMs = stats.latency.count > 0 ? stats.latency.quantile(0.5) : undefined;
      const delay = computeRetryDelay(attempts, error, core.backoff, core.random, observedLatencyMs);
      const now = core.clock();
      if (call.deadline !== undefined && now + delay >= call.deadline) {
        throw new LakefnError('E_DEADLINE_EXCEEDED', `the next retry (in ${delay} ms) would pass the call's deadline; last error: ${describeError(error)}`, { cause: error });
      }
      if (now + delay - firstAttemptAt > core.batchBudgetMs) {
        throw exhausted(error, `the batch's retry time budget of ${core.batchBudgetMs} ms is spent`);
      }
      stats.recordRetry(error.code);
      core.emit({ type: 'batch-retry', function: call.place.function, connection: call.place.connection, cause: error.code, delayMs: delay });
      await core.sleep(delay, call.signal);
    }
  }
}

/** One adapter call, bounded by the function's timeout and the call's deadline, aborted with the call. */
async function invokeOnce(call: DispatchCall, payload: Uint8Array, credentials: TemporaryCredentials): Promise<InvokeResultV1> {
  const { resolved, core } = call;
  const properties = resolved.function.properties;
  let timeoutMs = properties.timeoutMs;
  if (call.deadline !== undefined) timeoutMs = Math.max(1, Math.min(timeoutMs, call.deadline - core.clock()));
  const controller = new AbortController();
  const onCallAbort = (): void => controller.abort(call.signal.reason);
  call.signal.addEventListener('abort', onCallAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new LakefnError('E_TIMEOUT', `no reply within ${timeoutMs} ms`));
  }, timeoutMs + TIMEOUT_GRACE_MS);
  try {
    const reply = await call.adapter.doInvoke({
      credentials,
      binding: call.binding,
      functionName: resolved.function.cloudFunction,
      ...(resolved.function.qualifier === null ? {} : { qualifier: resolved.function.qualifier }),
      payload,
      timeoutMs,
      abortSignal: controller.signal,
    });
    // an envelope's status (429, 5xx) fails this attempt here, inside the retry policy
    const unwrap = call.codec.unwrapReply;
    return unwrap === undefined ? reply : { ...reply, payload: unwrap(reply.payload) };
  } catch (error) {
    call.throwIfStopped();
    if (timedOut && !(LakefnError.isInstance(error) && error.code === 'E_TIMEOUT')) {
      throw new LakefnError('E_TIMEOUT', `no reply within ${timeoutMs} ms (the adapter did not time out by itself)`, { cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    call.signal.removeEventListener('abort', onCallAbort);
  }
}

function exhausted(last: LakefnError, reason: string): LakefnError {
  return new LakefnError('E_RETRY_EXHAUSTED', `${reason}; last error: ${describeError(last)}`, {
    cause: last,
    data: { lastCode: last.code },
    ...(last.provider === undefined ? {} : { provider: last.provider }),
  });
}

function withHint(error: LakefnError, hint: string): LakefnError {
  return new LakefnError(error.code, `${error.message} (${hint})`, {
    cause: error,
    location: error.location,
    retryable: false,
    ...(error.provider === undefined ? {} : { provider: error.provider }),
    ...(error.data === undefined ? {} : { data: error.data }),
  });
}
