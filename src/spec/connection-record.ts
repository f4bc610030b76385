import type { ProviderName } from './provider-name.ts';

export type ConnectionStatus = 'PENDING' | 'VERIFIED' | 'FAILED' | 'INSECURE_TRUST_POLICY';

/**
 * An API CONNECTION as stored in the catalog. Immutable value: every change produces a new record
 * with `version` incremented. Holds no key material: the external ID is not a secret (it goes into
 * the customer's trust policy) and the broker's keys live in the environment.
 */
export interface ConnectionRecord {
  /** Random UUID; a DROP + CREATE gives a new id (and a new external ID). */
  readonly id: string;
  readonly name: string;
  readonly provider: ProviderName;
  readonly region: string;
  readonly roleArn: string;
  readonly namespace: string;
  readonly codeBucket: string | null;
  readonly externalId: string;
  readonly comment: string | null;
  readonly status: ConnectionStatus;
  /** For FAILED / INSECURE_TRUST_POLICY: the failing VALIDATE step and a hint. */
  readonly statusDetail: string | null;
  /** Starts at 1; bumped by ALTER, ROTATE and VALIDATE. Part of the credential cache key. */
  readonly version: number;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The user-settable fields of a connection (what CREATE and ALTER carry). */
export interface ConnectionFields {
  readonly provider: ProviderName;
  readonly region: string;
  readonly roleArn: string;
  readonly namespace: string;
  readonly codeBucket: string | null;
  readonly comment: string | null;
}
