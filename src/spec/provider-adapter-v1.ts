import type { AdapterId, ProviderName } from './provider-name.ts';
import type { BrokerCredentials, TemporaryCredentials } from './temporary-credentials.ts';

/**
 * The contract between the core and one cloud. Types only and versioned: a breaking change is a
 * new `ProviderAdapterV2`. Adapters throw only `LakefnError`s, classified through
 * `src/provider-utils/classify-provider-error.ts` from the provider's own code table.
 */
export interface ProviderAdapterV1 {
  readonly specificationVersion: 'v1';
  readonly provider: ProviderName;
  readonly id: AdapterId;
  readonly limits: {
    /** The provider's synchronous request payload limit (Lambda 6 MB, FC 32 MB, SCF 6 MB). */
    readonly maxRequestBytes: number;
  };
  /** STS AssumeRole, signed with the broker's long-lived keys. */
  doAssumeRole(options: AssumeRoleCallOptionsV1): Promise<AssumeRoleResultV1>;
  /** One synchronous invocation, signed with temporary credentials. */
  doInvoke(options: InvokeCallOptionsV1): Promise<InvokeResultV1>;
  /** Closes keep-alive sockets. */
  close(): Promise<void>;
}

export interface AssumeRoleCallOptionsV1 {
  readonly broker: BrokerCredentials;
  readonly region: string;
  readonly roleArn: string;
  /** Omitted only by VALIDATE's negative probe. */
  readonly externalId?: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly timeoutMs: number;
  readonly abortSignal?: AbortSignal;
}

export interface AssumeRoleResultV1 {
  readonly credentials: TemporaryCredentials;
  readonly assumedRoleId?: string;
  readonly requestId?: string;
}

export interface InvokeCallOptionsV1 {
  readonly credentials: TemporaryCredentials;
  readonly region: string;
  /** The customer account (from the role ARN): FC's endpoint host needs it. */
  readonly accountId: string;
  /** SCF namespace; ignored elsewhere. */
  readonly namespace: string;
  readonly functionName: string;
  readonly qualifier?: string;
  readonly payload: Uint8Array;
  readonly timeoutMs: number;
  readonly abortSignal?: AbortSignal;
  readonly logTail?: boolean;
}

export interface InvokeResultV1 {
  /** The function's reply bytes (on success). */
  readonly payload: Uint8Array;
  readonly requestId?: string;
  readonly durationMs: number;
  readonly logTail?: string;
}
