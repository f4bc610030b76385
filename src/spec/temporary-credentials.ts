/** Credentials from an STS AssumeRole. The secret and token must never reach logs, errors or output. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Long-lived broker keys, read from each provider's standard environment variables. */
export interface BrokerCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** smithy-style provider: memoized, single-flight; `forceRefresh` after an auth error. */
export type CredentialSource = (options?: { readonly forceRefresh?: boolean }) => Promise<TemporaryCredentials>;
