import type { LakefnConfig } from '../config/lakefn-config.ts';
import type { AuthenticatedPrincipal } from '../governance/authenticated-principal.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { CatalogStore } from '../store/catalog-store.ts';
import type { StatementResult, ValidationOutcome } from './execute-result.ts';

/**
 * What VALIDATE API CONNECTION learned from the provider: VERIFIED, FAILED (with the failing step in `detail`),
 * INSECURE_TRUST_POLICY, or INCONCLUSIVE (no definite answer: the stored status is left as it is).
 */
export type ConnectionValidation = ValidationOutcome;

/** Everything statements need beyond their text. Only `store` is required. */
export interface ExecutionServices {
  readonly store: CatalogStore;
  /** Source of the broker account ids printed in trust policies and of endpoint overrides. @default process.env */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** config.json, so that DESC can say an endpoint override comes from it. @default none */
  readonly config?: LakefnConfig;
  /**
   * Runs VALIDATE's provider checks (assume with the external ID must succeed, without it must be refused).
   * Implemented in src/credentials/; without it VALIDATE fails with E_INTERNAL.
   */
  readonly validateConnection?: (connection: ConnectionRecord) => Promise<ConnectionValidation>;
  /**
   * Called after ALTER, ROTATE, DROP and CREATE OR REPLACE changed a stored connection (credential-cache
   * invalidation). `previous` is the record as it was (its id/version are what caches hold);
   * `current` the record now, or null after DROP.
   */
  readonly onConnectionChanged?: (previous: ConnectionRecord, current: ConnectionRecord | null) => void | Promise<void>;
  /** Clock for created_at. @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Who runs the statements: the authorization function decides each one as this principal, and the audit log
   * records it. @default the local super administrator `local:<os user>` (the CLI with direct access to the catalog)
   */
  readonly principal?: AuthenticatedPrincipal;
  /** The current project (USE PROJECT changes it for the rest of a script). @default 'default' */
  readonly project?: string;
}

export interface ExecuteOptions {
  /** Accept regions missing from the known-region lists (`--allow-unknown-region`). @default false */
  readonly allowUnknownRegion?: boolean;
  /** Called with each result as soon as its statement committed (so callers can print progress). */
  readonly onResult?: (result: StatementResult) => void;
}
