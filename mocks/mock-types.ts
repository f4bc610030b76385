import type { PROVIDERS, ProviderName } from '../src/registry/providers.ts';

export type { ProviderName };

/** An account with one long-lived access key (the broker and customer accounts, or one from `addAccount`). */
export interface MockAccount {
  readonly provider: ProviderName;
  /** The account's digits, as long as the cloud's (see each MockProvider's `accounts.idLength`). */
  readonly accountId: string;
  /** The account space (AWS `aws-cn`); the provider id for clouds with one. Keys of one partition do not exist in another. */
  readonly partition: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

type Definition = (typeof PROVIDERS)[number];

/**
 * `http://127.0.0.1:PORT` for each API the mock serves (one server serves them all), by provider and by the API's
 * name in `LAKEFN_<PREFIX>_<API>_ENDPOINT` and config.json (`{ aws: { sts, lambda } }`): it can be used as the
 * `endpoints` of a config.json as it is.
 */
export type MockEndpoints = {
  readonly [D in Definition as D['id']]: { readonly [Api in D['endpoints']['apis']['sts'] | D['endpoints']['apis']['invoke']]: string };
};

/**
 * The fault kinds a plan can inject. All but `malformed`, `wrong_row_count` and `reply_too_large` happen before the
 * handler runs; `reply_too_large` runs it, then answers as the service does for a reply above its limit.
 */
export const FAULT_KINDS = [
  'throttle',
  '5xx',
  'reset',
  'hang',
  'malformed',
  'wrong_row_count',
  'function_error',
  'too_large',
  'reply_too_large',
  'slow',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * One rule of a fault plan. A call matches when its number (1-based, counted per function from the moment the plan
 * was installed) is in `on`, or when a seeded draw falls under `probability`. The first matching rule wins.
 */
export interface FaultPlanEntry {
  readonly fault: FaultKind;
  /** Call number(s), 1-based, counted from when the plan was installed. */
  readonly on?: number | readonly number[];
  /** Probability in [0, 1] per call; draws are reproducible for a given seed. */
  readonly probability?: number;
  /** @default 1 */
  readonly seed?: number;
  /** `throttle`: the Retry-After seconds (Lambda header). @default 1 */
  readonly retryAfterSeconds?: number;
  /** `slow`: added delay before the handler runs. @default 1000 */
  readonly delayMs?: number;
  /** `5xx`: the HTTP status. @default 500 (Tencent: 200 with Error.Code InternalError unless set) */
  readonly status?: number;
}

/** What a function handler receives besides its payload. */
export interface InvocationContext {
  readonly provider: ProviderName;
  readonly accountId: string;
  readonly region: string;
  /** Clouds with function namespaces only (SCF). */
  readonly namespace: string | undefined;
  readonly functionName: string;
  readonly requestId: string;
  /** 1-based number of this call to this function since it was registered or the mock was reset. */
  readonly callNumber: number;
  readonly coldStart: boolean;
  /** The payload exactly as received. */
  readonly rawPayload: Uint8Array;
  /** Aborted when the mock stops: long-running handlers should give up then. */
  readonly signal: AbortSignal;
}

/**
 * A function's code. `payload` is the parsed JSON when the payload is valid JSON, else the raw bytes. The result is
 * sent JSON-encoded (like the Node.js runtimes do); a Uint8Array result is sent as raw bytes. Throwing (or
 * rejecting) is reported as a function error the provider's way, with HTTP 200.
 */
export type FunctionHandler = (payload: unknown, context: InvocationContext) => unknown;

export interface FunctionDefinition {
  readonly provider: ProviderName;
  readonly accountId: string;
  readonly region: string;
  /** The function's namespace, on clouds that have them (SCF). @default 'default' */
  readonly namespace?: string;
  readonly name: string;
  /** One of BUILTIN_FUNCTION_NAMES; exactly one of `builtin` and `handler`. */
  readonly builtin?: string;
  readonly handler?: FunctionHandler;
  /** Maximum concurrent invocations; the excess is throttled. @default 1000 */
  readonly concurrency?: number;
  /** Added to every invocation. @default 0 */
  readonly latencyMs?: number;
  /** Added when no warm instance is free. @default 0 */
  readonly coldStartMs?: number;
  /** Retry-After seconds on a concurrency throttle (Lambda only carries it). @default 1 */
  readonly throttleRetryAfterSeconds?: number;
  /**
   * How a concurrency throttle is reported: the service's API throttle error, or (on services that report it that
   * way too, SCF) the platform's status inside a function error: SCF FailedOperation.InvokeFunction with status 432.
   * Services without the second form always use the first. @default 'api_error'
   */
  readonly throttleReport?: 'api_error' | 'function_error';
  /**
   * The published versions and aliases besides the latest code (whose qualifiers each service accepts always: `$LATEST`,
   * `LATEST`, SCF `$LATEST` and `$DEFAULT`). Invoking any other qualifier is the service's not-found error. @default []
   */
  readonly qualifiers?: readonly string[];
}

export interface RoleDefinition {
  readonly provider: ProviderName;
  /** In the cloud's ARN syntax (arn:aws:iam::<acct>:role/<name>, acs:ram::<uid>:role/<name>, …); the ARN says its partition. */
  readonly roleArn: string;
  /** The provider's trust-policy document, as JSON text or parsed. */
  readonly trustPolicy: string | object;
  /** Longest session AssumeRole may ask for. @default the cloud's (AWS and Aliyun 3600, Tencent 43200) */
  readonly maxSessionDurationSeconds?: number;
}

export interface FaultPlanDefinition {
  readonly provider: ProviderName;
  /** Function name; the plan applies to every function of that name unless narrowed below. */
  readonly function: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly namespace?: string;
  /** An empty plan removes faults. */
  readonly plan: readonly FaultPlanEntry[];
}

/** `<service>:<operation>` of a served API (`sts:AssumeRole`, `lambda:Invoke`, `fc:InvokeFunction`, `scf:InvokeFunction`…). */
export type MockApi = string;

export interface CallLogEntry {
  readonly provider: ProviderName;
  /** Undefined when the request could not be routed. */
  readonly api: MockApi | undefined;
  /** Function name (invokes), when routed to a registered function or named in the request. */
  readonly function: string | undefined;
  readonly roleArn: string | undefined;
  readonly accountId: string | undefined;
  readonly region: string | undefined;
  readonly requestId: string;
  /** From the payload when it is a known wire format (lakefn, bigquery, redshift). */
  readonly batchId: string | undefined;
  readonly rows: number | undefined;
  /** HTTP status sent (Tencent API errors are 200: see `errorCode`); 0 for reset / hang. */
  readonly status: number;
  /** Vendor error code, or the function error type, when the call failed. */
  readonly errorCode: string | undefined;
  readonly fault: FaultKind | undefined;
  readonly latencyMs: number;
  readonly accessKeyId: string | undefined;
  /** Mock clock time when the request arrived. */
  readonly time: number;
}

export interface FunctionCounters {
  readonly calls: number;
  readonly rows: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
  readonly throttled: number;
  readonly functionErrors: number;
  readonly faults: number;
  readonly coldStarts: number;
}

export interface MockCounters {
  /** Keyed `provider/account/region/name` (namespaced clouds: `provider/account/region/namespace/name`). */
  readonly functions: Readonly<Record<string, FunctionCounters>>;
  /** Requests per `provider:service:operation`, including rejected ones. */
  readonly apis: Readonly<Record<string, number>>;
}
