import type { IncomingHttpHeaders } from 'node:http';
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
  };
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
