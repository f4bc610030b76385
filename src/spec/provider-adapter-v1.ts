import type { ProviderCallPhase } from './provider-definition.ts';
import type { BrokerCredentials, TemporaryCredentials } from './temporary-credentials.ts';

/** How an adapter sends invocations: signed by lakefn with the SDK's own signer over undici, or through the vendor SDK. */
export type InvokeTransport = 'http' | 'sdk';

/**
 * The contract between the core and one cloud. Types only and versioned: a breaking change is a new
 * `ProviderAdapterV2`. Adapters throw only `LakefnError`s, classified through
 * `src/provider-utils/classify-provider-error.ts` from the provider's own code table.
 *
 * `Binding` is what the adapter resolved from a connection (hosts, account, partition, namespace); the core passes it
 * back untouched, so call options carry no field that only one cloud uses.
 */
export interface ProviderAdapterV1<Binding extends ConnectionBindingV1 = ConnectionBindingV1> {
  readonly specificationVersion: 'v1';
  /** The id of the provider definition the adapter belongs to. */
  readonly provider: string;
  readonly limits: {
    /** The provider's synchronous request payload limit (the dispatcher keeps batches under it). */
    readonly maxRequestBytes: number;
  };
  /**
   * Resolves, once per connection and inside the provider, what its calls need: the hosts (every label checked and
   * the URL parsed), the customer account, the partition, the namespace. A field that cannot make a valid request
   * (a tampered catalog row) is E_STORE_TAMPERED naming the connection, and nothing is sent.
   */
  bindConnection(connection: BindableConnection): Promise<Binding>;
  /** STS AssumeRole, signed with the broker's long-lived keys. */
  doAssumeRole(options: AssumeRoleCallOptionsV1<Binding>): Promise<AssumeRoleResultV1>;
  /** One synchronous invocation, signed with temporary credentials. */
  doInvoke(options: InvokeCallOptionsV1<Binding>): Promise<InvokeResultV1>;
  /** Closes keep-alive sockets; calls afterwards fail with E_CLOSED. */
  close(): Promise<void>;
}

/** The fields of a connection an adapter binds to. */
export interface BindableConnection {
  readonly name: string;
  readonly region: string;
  readonly roleArn: string;
  readonly namespace: string;
}

/** What every binding carries; each adapter extends it with its own fields. */
export interface ConnectionBindingV1 {
  readonly connectionName: string;
  readonly region: string;
  readonly roleArn: string;
  /** The origins calls go to (production hosts, or the configured overrides). */
  readonly endpoints: Readonly<Record<ProviderCallPhase, URL>>;
}

export interface AssumeRoleCallOptionsV1<Binding extends ConnectionBindingV1 = ConnectionBindingV1> {
  readonly broker: BrokerCredentials;
  readonly binding: Binding;
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

export interface InvokeCallOptionsV1<Binding extends ConnectionBindingV1 = ConnectionBindingV1> {
  readonly credentials: TemporaryCredentials;
  readonly binding: Binding;
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
