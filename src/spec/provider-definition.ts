import type { ErrorCode } from '../errors/error-codes.ts';
import type { FunctionEnvelope, WireFormat } from './function-record.ts';
import type { PolicyDocument } from './policy-document.ts';
import type { InvokeTransport, ProviderAdapterV1 } from './provider-adapter-v1.ts';

/**
 * Everything lakefn knows about one cloud, in the cloud's own folder (`providers/<folder>/index.ts` exports exactly
 * one). Types only and versioned like ProviderAdapterV1. The core never names a cloud: it looks these up through
 * `src/registry` (`PROVIDERS`), so a new cloud is a new folder plus one line there.
 *
 * A definition must stay cheap to import (no vendor SDK at module load): catalog commands read its rules, and only
 * `createAdapter` and `endpoints.hosts` may load SDK modules, lazily.
 */
export interface ProviderDefinition {
  readonly specificationVersion: 'v1';
  /** What users write in DDL (`PROVIDER = 'aws'`), stored lower-case: the key of every per-provider setting. */
  readonly id: string;
  /** The folder under `providers/` and `mocks/providers/` (`aws-lambda`). */
  readonly folder: string;
  readonly names: ProviderNames;
  readonly endpoints: ProviderEndpoints;
  readonly limits: ProviderLimits;
  readonly errors: ProviderErrorTable;
  readonly catalog: ProviderCatalogRules;
  readonly broker: ProviderBrokerIdentity;
  readonly policies: ProviderPolicies;
  /**
   * The envelope a function of a compat wire format gets when its `envelope` property is not set: how that engine's
   * own integration reaches functions on this cloud (Snowflake reaches Lambda through API Gateway's proxy
   * integration: `{ snowflake: 'api_gateway' }`). Formats not listed get 'none' (the wire body is the event).
   */
  readonly envelopes?: Readonly<Partial<Record<WireFormat, FunctionEnvelope>>>;
  /**
   * Settings only this cloud has, read from `LAKEFN_<PREFIX>_<NAME>` or config.json's `options.<id>.<name>` and
   * handed to `createAdapter` as `options` (validated): e.g. AWS's `sts_region`.
   */
  readonly options?: readonly ProviderOption[];
  /** The adapter over the vendor SDKs (loaded on first use: SDKs cost start-up time that catalog commands skip). */
  createAdapter(settings: ProviderAdapterSettings): Promise<ProviderAdapterV1>;
}

/** Which API a provider call goes to: the provider's STS, or its function service. */
export type ProviderCallPhase = 'sts' | 'invoke';

export interface ProviderNames {
  /** The cloud in messages: `AWS`, `Alibaba Cloud`. */
  readonly cloud: string;
  /** The two services lakefn calls, in messages: `{ sts: 'AWS STS', invoke: 'AWS Lambda' }`. */
  readonly services: Readonly<Record<ProviderCallPhase, string>>;
  /** The `<PREFIX>` of lakefn's own variables (`LAKEFN_AWS_ACCOUNT_ID`, `LAKEFN_AWS_STS_ENDPOINT`). */
  readonly environmentPrefix: string;
}

/** What the production hosts of a connection depend on. */
export interface EndpointTarget {
  readonly region: string;
  readonly roleArn: string;
}

export interface ProviderEndpoints {
  /** Each API's name in `LAKEFN_<PREFIX>_<API>_ENDPOINT` and in config.json's `endpoints.<id>.<api>`: `{ sts: 'sts', invoke: 'lambda' }`. */
  readonly apis: Readonly<Record<ProviderCallPhase, string>>;
  /**
   * The production host of each API for a connection (`lambda.cn-north-1.amazonaws.com.cn`), from the vendor SDK's
   * own endpoint data where it has some. Undefined when the region or role ARN cannot make one. The caller checks
   * every label and parses the URL it builds before anything is sent (src/provider-utils/connection-endpoints.ts).
   */
  hosts(target: EndpointTarget): Promise<ProviderHosts | undefined>;
}

/** The production hosts of one connection's calls. */
export interface ProviderHosts extends Readonly<Record<ProviderCallPhase, string>> {
  /**
   * Hosts of calls beyond STS and invoke, by name (FunctionGraph looks up the account's project id at IAM). Each is
   * reached through the override of the API named by `via` when that one is overridden, and shown by DESC so that an
   * operator opens it in the firewall too.
   */
  readonly auxiliary?: Readonly<Record<string, { readonly host: string; readonly via: ProviderCallPhase }>>;
}

export interface ProviderLimits {
  /** The synchronous request payload limit (Lambda 6 MB, FC 32 MB, SCF 6 MB). */
  readonly maxRequestBytes: number;
  /** The service's synchronous reply limit. */
  readonly maxReplyBytes: number;
  /**
   * What lakefn reads of one reply on the wire before it gives up with E_BAD_RESPONSE: the reply limit plus the
   * envelope the service wraps it in, counted while the body streams so that memory stays bounded.
   */
  readonly maxReplyWireBytes: number;
}

/**
 * How one provider's errors map to lakefn codes. Vendor codes are matched exactly first, then by their dotted
 * prefixes (`RequestLimitExceeded.UinLimitExceeded` → `RequestLimitExceeded`), then the HTTP status; 5xx statuses
 * without a known code are E_PROVIDER_UNAVAILABLE. Message text is never looked at. Retryability follows from the
 * lakefn code (src/errors/error-codes.ts).
 */
export interface ProviderErrorTable {
  readonly codes: Readonly<Record<ProviderCallPhase, Readonly<Record<string, ErrorCode>>>>;
  readonly statuses: Readonly<Record<ProviderCallPhase, Readonly<Record<number, ErrorCode>>>>;
  /**
   * Status codes the platform reports inside a function's result (SCF puts `statusCode` in the `Result.ErrMsg`
   * JSON). A listed status that is not E_REMOTE_FUNCTION_ERROR means the platform, not the function's code, refused
   * the call. Unlisted statuses are function errors.
   */
  readonly functionStatuses?: Readonly<Record<number, ErrorCode>>;
  /**
   * STS error codes (matched like `codes`) that prove the cloud refused to let lakefn's broker assume the role: the
   * trust policy does not admit it, or there is no such role. Only these are "definitely refused" for VALIDATE; any
   * other failure (transport, throttling, 5xx, the broker's own keys rejected, a bare 403) is inconclusive.
   */
  readonly stsRefusals: readonly string[];
  /**
   * STS codes (matched like `codes`) that also prove VALIDATE's negative probes (no external ID, a random one) were
   * refused: those run right after the same broker keys assumed the role with the right external ID, so an
   * authorization-type error there can only be the role refusing. Added to `stsRefusals` for the probes only.
   */
  readonly probeRefusals?: readonly string[];
  /**
   * The `errorType` of a function-error reply that the platform wrote, not the function's code: the platform refused
   * the call after running it (Lambda `Function.ResponseSizeTooLarge` → E_RESPONSE_TOO_LARGE, so the batch splits).
   * Other error types are the function's own (E_REMOTE_FUNCTION_ERROR).
   */
  readonly functionErrorTypes?: Readonly<Record<string, ErrorCode>>;
  /** How the service refuses a request signed too far from its clock; see ProviderClockSkew. */
  readonly clockSkew?: ProviderClockSkew;
}

/**
 * Signature time windows. A code that always means "signed too far from the service's clock" maps to E_CLOCK_SKEW in
 * `codes` (ACS3 `InvalidTimeStamp.Expired`, TC3 `AuthFailure.SignatureExpire`); adapters then correct their clock for
 * that endpoint from the answer's `Date` header and re-sign once (src/provider-utils/clock-offsets.ts).
 */
export interface ProviderClockSkew {
  /** How far a signing time may be from the service's clock (SigV4 and ACS3 15 minutes, TC3 5 minutes). */
  readonly windowMs: number;
  /**
   * Codes that refuse a signature without saying why (SigV4 `InvalidSignatureException`, STS `SignatureDoesNotMatch`):
   * a clock skew when the answer's `Date` is more than half the window away from lakefn's clock, else E_AUTH.
   */
  readonly ambiguousCodes?: readonly string[];
}

/** One provider-only setting (`LAKEFN_<PREFIX>_<NAME>`, config.json `options.<id>.<name>`). */
export interface ProviderOption {
  /** snake_case: `sts_region` → `LAKEFN_AWS_STS_REGION`, config.json `options.aws.sts_region`. */
  readonly name: string;
  /** What it does, for messages and docs. */
  readonly description: string;
  /** The value syntax: anchored, linear-time (checked after `maxLength`). */
  readonly pattern: RegExp;
  readonly maxLength: number;
}

/** A role ARN taken apart: the customer account that owns the role, and the partition where the cloud has several. */
export interface ParsedRoleArn {
  readonly accountId: string;
  readonly roleName: string;
  /** The account space the ARN names (AWS `aws-cn`), for clouds with partitions. */
  readonly partition?: string | undefined;
}

export interface ProviderCatalogRules {
  readonly regions: {
    /** Where the function service is offered; others are refused unless `--allow-unknown-region`. */
    readonly known: readonly string[];
    /** The region syntax: anchored, linear-time (checked after the length). */
    readonly pattern: RegExp;
    readonly example: string;
  };
  readonly roleArn: {
    /** What a valid ARN looks like, for messages: `an AWS role ARN (expected arn:…)`. */
    readonly description: string;
    /** Undefined when `roleArn` is not one (it is length-checked and free of control characters already). */
    parse(roleArn: string): ParsedRoleArn | undefined;
    format(role: ParsedRoleArn): string;
  };
  readonly namespace: ProviderNamespaceRule;
  readonly codeBucket: {
    /** The object-storage naming rule, for messages. */
    readonly description: string;
    readonly minLength: number;
    readonly maxLength: number;
    isValid(bucket: string): boolean;
  };
  readonly functions: ProviderFunctionRules;
}

/** NAMESPACE: the cloud's function namespace, or only a grouping label on a cloud that has none. */
export interface ProviderNamespaceRule {
  /** The cloud groups functions in namespaces, so NAMESPACE is required; elsewhere it defaults to `default`. */
  readonly required: boolean;
  /** Why NAMESPACE is required, for the message (required clouds only). */
  readonly hint?: string;
  /** What a valid NAMESPACE is, for messages: `2-30 characters of [A-Za-z0-9_-], …`. */
  readonly description: string;
  readonly maxLength: number;
  /** The syntax: anchored, linear-time (checked after the length and the plain-text rules). `default` must match. */
  readonly pattern: RegExp;
}

export interface ProviderFunctionRules {
  /** What a valid `AS` name is, for messages. */
  readonly nameDescription: string;
  readonly qualifierDescription: string;
  /** The qualifier of the latest code (`$LATEST`, `LATEST`). */
  readonly latestQualifier: string;
  isValidName(name: string): boolean;
  isValidQualifier(qualifier: string): boolean;
  /**
   * A fully qualified reference (a Lambda ARN) carries colons of its own: it starts with `prefix` and its qualifier,
   * if any, follows its `parts`-th `:`-separated part.
   */
  readonly qualifiedReference?: { readonly prefix: string; readonly parts: number };
  /**
   * Why a fully qualified reference does not belong to the connection (another account, region or partition), or
   * undefined when it does or the name is not fully qualified. A function must run in the account whose role lakefn
   * assumes: a cross-account reference would call someone else's code with the customer's rows.
   */
  checkTarget?(name: string, connection: EndpointTarget): string | undefined;
}

/** lakefn's own identity on the cloud (the account the trust policies name), per partition. */
export interface ProviderBrokerIdentity {
  /** The vendor SDK's standard variables for the broker's long-lived key in the default partition. */
  readonly keyVariables: readonly [accessKeyId: string, secret: string];
  /** The documented demo broker account (default partition) used when none is configured. */
  readonly defaultAccountId: string;
  /** Account id syntax, for config.json and messages. */
  readonly accountId: { readonly pattern: RegExp; readonly maxLength: number; readonly description: string };
  /**
   * Separate account spaces (AWS `aws`, `aws-cn`, `aws-us-gov`): an account of one cannot be trusted by a role in
   * another, so each has its own broker identity. Omitted when the cloud has one account space.
   */
  readonly partitions?: ProviderPartitions;
}

export interface ProviderPartitions {
  /** The first is the default partition, whose identity uses `keyVariables` and `LAKEFN_<PREFIX>_ACCOUNT_ID`. */
  readonly list: readonly [ProviderPartition, ...ProviderPartition[]];
  /** The partition a region belongs to. */
  ofRegion(region: string): string;
}

export interface ProviderPartition {
  /** `aws-cn`; also its key in config.json's `account_ids`. */
  readonly id: string;
  /** `CN` in `LAKEFN_AWS_CN_ACCOUNT_ID`, `LAKEFN_AWS_CN_ACCESS_KEY_ID`, `LAKEFN_AWS_CN_SECRET_ACCESS_KEY`; empty for the default. */
  readonly environmentInfix: string;
}

export interface ProviderPolicies {
  /** The role's trust policy, exactly as the console takes it: only the broker account, only with the external ID. */
  trust(subject: TrustPolicySubject, brokerAccountId: string): PolicyDocument;
  /** The least-privilege policy the customer grants the role. */
  permission(subject: PermissionPolicySubject): PolicyDocument;
}

export interface TrustPolicySubject {
  readonly roleArn: string;
  readonly externalId: string;
  readonly region?: string;
}

export interface PermissionPolicySubject {
  readonly region: string;
  readonly roleArn: string;
  readonly namespace: string;
  readonly codeBucket: string | null;
}

export interface ProviderAdapterSettings {
  /** Endpoint overrides (`LAKEFN_<PREFIX>_<API>_ENDPOINT` or config.json), e.g. the mock cloud. */
  readonly endpoints: { readonly sts?: URL | undefined; readonly invoke?: URL | undefined };
  /** How invocations are sent. @default 'http' */
  readonly invokeTransport?: InvokeTransport | undefined;
  /** The definition's `options` that are set, by name (already checked against their pattern). */
  readonly options?: Readonly<Record<string, string>> | undefined;
}
