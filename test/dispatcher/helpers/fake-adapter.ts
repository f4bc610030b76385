// An in-memory ProviderAdapterV1 for dispatcher unit tests: scripted faults, latency, a concurrency limit
// (the excess is throttled like a real function quota) and a call log.
import { LakefnError } from '../../../src/errors/index.ts';
import type { BindableConnection, ConnectionBindingV1, InvokeCallOptionsV1, InvokeResultV1, ProviderAdapterV1 } from '../../../src/spec/provider-adapter-v1.ts';

/** `response_too_large` runs the function, then refuses its reply (SCF's ResponseSizeLimitExceeded): it executed. */
export type FakeFault = 'throttle' | '5xx' | 'reset' | 'auth' | 'too_large' | 'response_too_large' | 'function_error' | 'retryable_function_error' | 'hang';

export interface FakeRequest {
  readonly callNumber: number;
  readonly batchId: string;
  readonly rows: readonly (readonly unknown[])[];
  readonly accessKeyId: string;
  readonly bytes: number;
}

export interface FakeCallLogEntry {
  readonly callNumber: number;
  readonly batchId: string;
  readonly rows: number;
  readonly outcome: FakeFault | 'ok';
  /** Executions in progress when this request was decided (before it). */
  readonly executing: number;
  /** Requests in progress when this one was decided, itself included (throttled ones too). */
  readonly arriving: number;
}

/** The function's code: the reply body (serialized as JSON unless it is a string, sent as is). */
export type FakeHandler = (rows: readonly (readonly unknown[])[], request: FakeRequest) => unknown;

export interface FakeAdapterOptions {
  readonly handler: FakeHandler;
  /** Concurrent executions allowed; the excess is throttled. @default Infinity */
  readonly concurrency?: number;
  /** Fault to inject for a request (decided before the handler runs). */
  readonly faults?: (request: FakeRequest) => FakeFault | undefined;
  /** Simulated execution time of one invocation. @default 0 (one macrotask) */
  readonly latencyMs?: number | ((request: FakeRequest) => number);
  /** The payload limit the adapter advertises in `limits`. @default 6 MiB */
  readonly maxRequestBytes?: number;
  /** Requests above this size get E_PAYLOAD_TOO_LARGE (a provider stricter than advertised). @default maxRequestBytes */
  readonly refuseAboveBytes?: number;
  /** Retry-After seconds on throttles. */
  readonly retryAfterSeconds?: number;
  /** Access key ids the function service refuses (E_AUTH). */
  readonly revokedKeys?: ReadonlySet<string>;
}

export class FakeAdapter implements ProviderAdapterV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'aws';
  readonly limits: { readonly maxRequestBytes: number };
  readonly log: FakeCallLogEntry[] = [];
  /** The connections bound, one per dispatcher call. */
  readonly bound: BindableConnection[] = [];
  /** Every InvokeCallOptionsV1 minus payload/credentials, for assertions on what the dispatcher passes. */
  readonly options: Omit<InvokeCallOptionsV1, 'payload' | 'credentials' | 'abortSignal'>[] = [];
  executing = 0;
  maxExecuting = 0;
  /** Requests in progress including those about to be throttled. */
  arriving = 0;
  maxArriving = 0;
  readonly #options: FakeAdapterOptions;
  #calls = 0;

  constructor(options: FakeAdapterOptions) {
    this.#options = options;
    this.limits = { maxRequestBytes: options.maxRequestBytes ?? 6 * 1024 * 1024 };
  }

  async bindConnection(connection: BindableConnection): Promise<ConnectionBindingV1> {
    this.bound.push(connection);
    return fakeBinding(connection);
  }

  async doAssumeRole(): Promise<never> {
    throw new Error('not used by dispatcher tests');
  }

  async close(): Promise<void> {}

  async doInvoke(options: InvokeCallOptionsV1): Promise<InvokeResultV1> {
    const { payload, credentials, abortSignal, ...rest } = options;
    this.options.push(rest);
    this.#calls += 1;
    const body = JSON.parse(Buffer.from(payload).toString('utf8')) as { batch_id: string; rows: unknown[][] };
    const request: FakeRequest = { callNumber: this.#calls, batchId: body.batch_id, rows: body.rows, accessKeyId: credentials.accessKeyId, bytes: payload.byteLength };
    this.arriving += 1;
    this.maxArriving = Math.max(this.maxArriving, this.arriving);
    try {
      await macrotask(abortSignal);
      const outcome = this.#decide(request);
      this.log.push({ callNumber: request.callNumber, batchId: request.batchId, rows: request.rows.length, outcome, executing: this.executing, arriving: this.arriving });
      if (!EXECUTING_OUTCOMES.has(outcome)) throw faultError(outcome, this.#options.retryAfterSeconds);
      this.executing += 1;
      this.maxExecuting = Math.max(this.maxExecuting, this.executing);
      try {
        const latency = typeof this.#options.latencyMs === 'function' ? this.#options.latencyMs(request) : (this.#options.latencyMs ?? 0);
        await delay(outcome === 'hang' ? 3_600_000 : latency, abortSignal);
        if (outcome === 'function_error' || outcome === 'retryable_function_error') {
          throw new LakefnError('E_REMOTE_FUNCTION_ERROR', 'Unhandled: boom', { retryable: outcome === 'retryable_function_error' });
        }
        const reply = this.#options.handler(request.rows, request);
        if (outcome === 'response_too_large') throw new LakefnError('E_RESPONSE_TOO_LARGE', 'ResponseSizeLimitExceeded', { provider: { status: 200, code: 'ResponseSizeLimitExceeded' } });
        const text = typeof reply === 'string' ? reply : JSON.stringify(reply, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
        return { payload: Buffer.from(text), durationMs: latency };
      } finally {
        this.executing -= 1;
      }
    } finally {
      this.arriving -= 1;
    }
  }

  #decide(request: FakeRequest): FakeFault | 'ok' {
    if (request.bytes > (this.#options.refuseAboveBytes ?? this.limits.maxRequestBytes)) return 'too_large';
    if (this.#options.revokedKeys?.has(request.accessKeyId) === true) return 'auth';
    const fault = this.#options.faults?.(request);
    if (fault !== undefined) return fault;
    if (this.executing >= (this.#options.concurrency ?? Number.POSITIVE_INFINITY)) return 'throttle';
    return 'ok';
  }
}

/** The binding FakeAdapter gives a connection (the dispatcher passes it back on every invocation). */
export function fakeBinding(connection: BindableConnection): ConnectionBindingV1 {
  return {
    connectionName: connection.name,
    region: connection.region,
    roleArn: connection.roleArn,
    endpoints: { sts: new URL('https://sts.fake.test'), invoke: new URL('https://invoke.fake.test') },
  };
}

/** Outcomes under which the function runs (the log's `executing` counts them). */
const EXECUTING_OUTCOMES: ReadonlySet<FakeFault | 'ok'> = new Set(['ok', 'function_error', 'retryable_function_error', 'hang', 'response_too_large']);

function faultError(fault: FakeFault | 'ok', retryAfterSeconds: number | undefined): LakefnError {
  switch (fault) {
    case 'throttle':
      return new LakefnError('E_THROTTLED', 'TooManyRequestsException: Rate Exceeded.', { provider: { status: 429 }, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
    case '5xx':
      return new LakefnError('E_PROVIDER_UNAVAILABLE', 'ServiceException', { provider: { status: 500 } });
    case 'reset':
      return new LakefnError('E_TRANSPORT', 'socket hang up (ECONNRESET)');
    case 'auth':
      return new LakefnError('E_AUTH', 'UnrecognizedClientException: The security token included in the request is invalid.', { provider: { status: 403 } });
    case 'too_large':
      return new LakefnError('E_PAYLOAD_TOO_LARGE', 'RequestTooLargeException', { provider: { status: 413 } });
    default:
      throw new Error(`not an error fault: ${fault}`);
  }
}

function macrotask(signal: AbortSignal | undefined): Promise<void> {
  return delay(0, signal);
}

/** setTimeout that rejects with the abort reason when `signal` aborts (what real adapters do). */
function delay(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new LakefnError('E_CANCELLED', 'invoke aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
