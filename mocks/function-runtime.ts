import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultPlans } from './fault-plan.ts';
import type { RegisteredFunction } from './function-registry.ts';
import type { FaultKind, InvocationContext } from './mock-types.ts';
import { summarizePayload, withWrongRowCount, type ParsedPayload, type PayloadSummary } from './wire-payload.ts';

/** What happened to one invocation, before a provider renders it on the wire. */
export type InvocationOutcome =
  | { readonly kind: 'result'; readonly body: string | Buffer }
  | { readonly kind: 'function_error'; readonly errorType: string; readonly errorMessage: string; readonly stack: readonly string[] }
  | {
      readonly kind: 'throttled';
      readonly retryAfterSeconds: number;
      readonly cause: 'concurrency' | 'fault';
      /** How the function's definition asks a concurrency throttle to be reported (FunctionDefinition.throttleReport). */
      readonly report: 'api_error' | 'function_error';
    }
  | { readonly kind: 'server_error'; readonly status: number | undefined }
  | { readonly kind: 'too_large' }
  /** The function ran, but its result (`bytes` long) is above the service's reply limit. */
  | { readonly kind: 'reply_too_large'; readonly bytes: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'hang' };

export interface InvocationResult {
  readonly outcome: InvocationOutcome;
  readonly summary: PayloadSummary;
  readonly fault: FaultKind | undefined;
}

/** Faults that answer at once, before concurrency is taken or the handler runs (so they have no side effect). */
const IMMEDIATE_FAULTS: ReadonlySet<FaultKind> = new Set(['throttle', '5xx', 'reset', 'too_large', 'function_error']);

/**
 * Runs one invocation of a registered function: fault plan (advanced on every call, in arrival order), concurrency
 * limit, cold start, latency, handler, the service's reply limit (`maxReplyBytes`, the mock provider's) and the
 * reply-altering faults. The provider handler parsed the payload once. `whenClosed` resolves when the client's
 * connection closes; a hung call holds its concurrency slot until then.
 */
export async function invokeFunction(
  fn: RegisteredFunction,
  payload: Buffer,
  parsed: ParsedPayload,
  requestId: string,
  faults: FaultPlans,
  whenClosed: () => Promise<void>,
  stopping: AbortSignal,
  maxReplyBytes: number,
): Promise<InvocationResult> {
  const state = fn.state;
  state.calls += 1;
  const callNumber = state.calls;
  const summary = parsed.json ? summarizePayload(parsed.value) : { batchId: undefined, rows: undefined };
  state.rows += summary.rows ?? 0;
  const planned = faults.next(fn.provider, fn.name, fn.accountId, fn.region, fn.namespace);
  const fault = planned?.fault;
  if (planned !== undefined) state.faults += 1;

  if (planned !== undefined && IMMEDIATE_FAULTS.has(planned.fault)) {
    switch (planned.fault) {
      case 'throttle':
        state.throttled += 1;
        return finished(summary, fault, { kind: 'throttled', retryAfterSeconds: planned.retryAfterSeconds ?? 1, cause: 'fault', report: 'api_error' });
      case '5xx':
        return finished(summary, fault, { kind: 'server_error', status: planned.status });
      case 'reset':
        return finished(summary, fault, { kind: 'reset' });
      case 'too_large':
        return finished(summary, fault, { kind: 'too_large' });
      default:
        state.functionErrors += 1;
        return finished(summary, fault, { kind: 'function_error', errorType: 'InjectedFault', errorMessage: 'injected fault: function_error', stack: [] });
    }
  }
  if (state.inFlight >= fn.concurrency) {
    state.throttled += 1;
    return finished(summary, fault, { kind: 'throttled', retryAfterSeconds: fn.throttleRetryAfterSeconds, cause: 'concurrency', report: fn.throttleReport });
  }
  state.inFlight += 1;
  if (state.inFlight > state.maxInFlight) state.maxInFlight = state.inFlight;
  try {
    if (fault === 'hang') {
      await whenClosed();
      return finished(summary, fault, { kind: 'hang' });
    }
    const coldStart = state.inFlight > state.warmInstances;
    if (coldStart) {
      state.warmInstances = state.inFlight;
      state.coldStarts += 1;
    }
    const delayMs = (fault === 'slow' ? (planned?.delayMs ?? 1000) : 0) + (coldStart ? fn.coldStartMs : 0) + fn.latencyMs;
    // a stopping mock answers nothing more: the connection is being destroyed anyway
    if (delayMs > 0 && !(await delay(delayMs, stopping))) return finished(summary, fault, { kind: 'hang' });
    const context: InvocationContext = {
      provider: fn.provider,
      accountId: fn.accountId,
      region: fn.region,
      namespace: fn.namespace,
      functionName: fn.name,
      requestId,
      callNumber,
      coldStart,
      rawPayload: payload,
      signal: stopping,
    };
    let body: string | Buffer;
    try {
      const result: unknown = await fn.handler(parsed.json ? parsed.value : new Uint8Array(payload), context);
      body = encodeResult(fault === 'wrong_row_count' ? withWrongRowCount(result) : result);
    } catch (error) {
      state.functionErrors += 1;
      return finished(summary, fault, functionError(error));
    }
    // the service checks the result's size after the function ran: the function's side effects happened
    const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    if (fault === 'reply_too_large' || bytes > maxReplyBytes) return finished(summary, fault, { kind: 'reply_too_large', bytes: Math.max(bytes, maxReplyBytes + 1) });
    // half a document followed by '{' is never valid JSON
    if (fault === 'malformed') body = typeof body === 'string' ? `${body.slice(0, Math.floor(body.length / 2))}{` : Buffer.concat([body.subarray(0, Math.floor(body.length / 2)), Buffer.from('{')]);
    return finished(summary, fault, { kind: 'result', body });
  } finally {
    state.inFlight -= 1;
  }
}

function finished(summary: PayloadSummary, fault: FaultKind | undefined, outcome: InvocationOutcome): InvocationResult {
  return { outcome, summary, fault };
}

/** Waits, unless the mock stops first (then false). */
async function delay(milliseconds: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(milliseconds, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** JSON like the Node.js runtimes send it (a string: Node writes it with the headers in one go); bytes as they are. */
function encodeResult(result: unknown): string | Buffer {
  if (result instanceof Uint8Array) return Buffer.from(result.buffer, result.byteOffset, result.byteLength);
  return JSON.stringify(result === undefined ? null : result) ?? 'null';
}

function functionError(error: unknown): InvocationOutcome {
  if (error instanceof Error) {
    const stack = (error.stack ?? '').split('\n').slice(1).map((line) => line.trim()).filter((line) => line !== '');
    return { kind: 'function_error', errorType: error.name, errorMessage: error.message, stack };
  }
  return { kind: 'function_error', errorType: 'Error', errorMessage: String(error), stack: [] };
}
