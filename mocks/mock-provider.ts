import type { IncomingHttpHeaders } from 'node:http';
import type { TemporaryCredentials } from '../src/spec/temporary-credentials.ts';
import type { HandlerResult, MockRequest } from './http/mock-request.ts';
import type { MockState } from './mock-state.ts';
import type { ProviderName } from './mock-types.ts';

/** Serves one API request (signature check, the operation, the provider's reply shape). */
export type ApiHandler = (request: MockRequest, state: MockState) => HandlerResult | Promise<HandlerResult>;

/**
 * Everything the mock cloud knows about one cloud, in `mocks/providers/<folder>/index.ts` (the folder of the
 * provider's definition; each exports one as default). The server, the account, role and function registries and
 * the trust-policy evaluation are generic and take these from the list `loadMockProviders()` builds from `PROVIDERS`.
 */
export interface MockProvider {
  readonly id: ProviderName;
  /**
   * The handler for a request this cloud's endpoints would receive (by path, or by the header naming the action), or
   * undefined. Providers are asked in `PROVIDERS` order and the first answer wins.
   */
  route(method: string, path: string, headers: IncomingHttpHeaders): ApiHandler | undefined;
  readonly accounts: MockAccountRules;
  readonly roles: MockRoleRules;
  readonly sts: MockStsRules;
  readonly trust: TrustDialect;
  readonly functions: {
    /** Functions live in namespaces (SCF): the namespace is part of a function's identity. */
    readonly namespaced: boolean;
    /** Where `lakefn mock` registers the built-in functions. */
    readonly defaultRegion: string;
    /** The service's synchronous reply limit: a function's result above it is answered as the service does. */
    readonly maxReplyBytes: number;
    /** The qualifiers of the latest code, valid for every function (`$LATEST`); others must be published. */
    readonly latestQualifiers: readonly string[];
  };
  /** What the real service does that tests may rely on (instead of asking which provider it is). */
  readonly capabilities: {
    /** The invoke reply carries the log tail when asked for it. */
    readonly logTail: boolean;
    /** A throttle answer carries Retry-After. */
    readonly throttleRetryAfter: boolean;
    /** The service's not-found code for a qualifier the function does not publish: a name (`staging`), a number (`7`). */
    readonly missingQualifier: { readonly named: string; readonly numbered: string };
  };
  /** Values of the cloud's catalog rules that tests check lakefn against (kept with the cloud, not in the tests). */
  readonly samples: ProviderSamples;
  /** What the bench needs to talk to this cloud without lakefn: a pre-signed invoke request and a reading of its reply. */
  readonly bench: MockBenchSupport;
}

/** Valid and invalid values of one rule. */
export interface SampleValues<T = string> {
  readonly valid: readonly T[];
  readonly invalid: readonly string[];
}

/**
 * Samples of a cloud's catalog rules, as its documentation states them: a reference connection lakefn must accept
 * unchanged, and values each field rule must accept or refuse.
 */
export interface ProviderSamples {
  /** A connection CREATE accepts as it is. */
  readonly connection: {
    readonly region: string;
    readonly roleArn: string;
    readonly namespace: string;
    readonly codeBucket: string | null;
    readonly comment: string | null;
  };
  /** The account id of `connection.roleArn`, and another role ARN with its account (paths, partitions…). */
  readonly roleArnAccounts: readonly { readonly roleArn: string; readonly accountId: string }[];
  readonly regions: SampleValues;
  readonly roleArns: SampleValues;
  /** Omitted when the cloud's namespace rule is the generic one. */
  readonly namespaces?: SampleValues;
  readonly codeBuckets: SampleValues<string | null>;
  /** Names after AS (without a qualifier). */
  readonly functionNames: SampleValues;
  readonly qualifiers: SampleValues;
}

/** A function the bench invokes directly (signed before the clock starts), with the credentials lakefn's broker holds. */
export interface BenchInvokeTarget {
  readonly provider: ProviderName;
  readonly credentials: TemporaryCredentials;
  readonly region: string;
  readonly namespace: string;
  /** The customer account that owns the function. */
  readonly accountId: string;
  readonly functionName: string;
  /** `host[:port]` of the endpoint, as the client will send it. */
  readonly host: string;
}

/** One invoke request ready to send. */
export interface PresignedRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** An invoke answer read the minimal way: the function's reply, or why the call failed. */
export type BenchReply = { readonly ok: true; readonly payload: Uint8Array } | { readonly ok: false; readonly failure: 'throttled' | 'function_error' | 'failed'; readonly detail: string };

export interface MockBenchSupport {
  /** Where the bench registers its functions (a real region of the cloud). */
  readonly region: string;
  /**
   * The cloud's invoke request for `payload` (the codec's bytes), signed at `now` by the vendor SDK's own signer (as the
   * adapters sign), with the headers the adapter sends.
   */
  presignInvoke(target: BenchInvokeTarget, payload: Uint8Array, now?: Date): Promise<PresignedRequest>;
  /** Reads an invoke answer: no classification beyond what a clean run needs. */
  readReply(status: number, headers: IncomingHttpHeaders, body: Buffer): BenchReply;
  /** The cheapest check that an invoke answer is not a success (the ceiling does nothing more per call). */
  replyFailed(status: number, headers: IncomingHttpHeaders, body: Buffer): boolean;
}

export interface MockAccountRules {
  /** Digits of a generated account id. */
  readonly idLength: number;
  /** An access key in the cloud's shapes, so that logs and SDK validations look as in production. */
  newAccessKey(temporary: boolean): { readonly accessKeyId: string; readonly secret: string };
  newSessionToken(): string;
  /**
   * The cloud's account spaces, the default first: a key of one partition does not exist in another. The mock
   * starts a broker and a customer account in each.
   */
  readonly partitions: readonly [MockPartition, ...MockPartition[]];
  /** The partition whose endpoints serve a region (clouds with several partitions). */
  partitionOfRegion?(region: string): string;
}

export interface MockPartition {
  readonly id: string;
  readonly brokerAccountId: string;
  readonly customerAccountId: string;
}

export interface MockRoleRules {
  /** Account, role name and partition from a role ARN, or undefined when it is not one of this cloud's. */
  parseArn(roleArn: string): { readonly accountId: string; readonly roleName: string; readonly partition: string | undefined } | undefined;
  /** Role names compare case-insensitively (RAM). */
  readonly caseInsensitive: boolean;
  /** A stable role id for the n-th role (AWS `AROA…`, digits elsewhere). */
  roleId(sequence: number): string;
  /** The longest session AssumeRole may ask for when the role does not say. */
  readonly defaultMaxSessionSeconds: number;
}

export interface MockStsRules {
  /** DurationSeconds when the request has none (capped by the role's maximum). */
  readonly defaultDurationSeconds: number;
  readonly minDurationSeconds: number;
  readonly maxSessionNameLength: number;
  readonly sessionNamePattern: RegExp;
}

/** How the cloud writes trust policies: the principal key, and the one condition that carries the external ID. */
export interface TrustDialect {
  /** The principal map's key, lower-case: `aws`, `ram`, `qcs`. */
  readonly principalKey: string;
  /** The account (and partition) a principal entry names: an ARN, a bare account id; undefined when unreadable. */
  principalAccount(principal: string): { readonly accountId: string; readonly partition: string | undefined } | undefined;
  /** The equality operator of the external-ID condition, lower-case: `stringequals`, `string_equal`. */
  readonly equalsOperator: string;
  /** The condition key of the external ID, lower-case: `sts:externalid`, `sts:external_id`. */
  readonly externalIdKey: string;
  /** Actions (lower-case, without Tencent's `name/`) that allow AssumeRole. */
  readonly assumeActions: readonly string[];
}
