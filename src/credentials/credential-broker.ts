import { describeError, LakefnError, expectInteger, toLakefnError } from '../errors/index.ts';
import { stsDeniedMessage } from '../provider-utils/classify-provider-error.ts';
import { providerDefinition } from '../registry/providers.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { ProviderAdapterV1 } from '../spec/provider-adapter-v1.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import type { CredentialSource, TemporaryCredentials } from '../spec/temporary-credentials.ts';
import { requireBrokerCredentials } from './broker-identity.ts';
import { MINIMUM_REMAINING_MS, credentialFreshness } from './refresh-windows.ts';
import { sessionNameFor } from './session-name.ts';
import { quoteIdentifier } from '../sql/quote-sql.ts';

/** Emitted on every AssumeRole the broker makes (noun-verb names). Never carries a secret or token. */
export type CredentialEvent =
  | { readonly type: 'credentials-refresh'; readonly connection: string; readonly reason: RefreshReason; readonly accessKeyId: string; readonly expiresAt: string }
  | { readonly type: 'credentials-refresh-failed'; readonly connection: string; readonly reason: RefreshReason; readonly code: string };

export type RefreshReason = 'initial' | 'background' | 'expiring' | 'forced';

export interface CredentialBrokerOptions {
  /** The adapter that talks to each provider's STS (usually `registry.adapterFor`). */
  readonly adapterFor: (provider: ProviderName) => ProviderAdapterV1;
  /** Where the broker keys are read from (the providers' standard variables). @default process.env */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Decides expiry and refresh windows. @default Date.now */
  readonly clock?: { now(): number };
  /** DurationSeconds sent on every AssumeRole, 900–3600. @default 3600 */
  readonly durationSeconds?: number;
  /** Timeout of one AssumeRole. @default 10_000 */
  readonly stsTimeoutMs?: number;
  /** Cached credential sets (one per connection version). @default 1024 */
  readonly maxEntries?: number;
  readonly onEvent?: (event: CredentialEvent) => void;
}

export interface CredentialBroker {
  /** Memoized, single-flight temporary credentials for the connection (SPEC §4). */
  credentialsFor(connection: ConnectionRecord): CredentialSource;
  /**
   * After the function service refused `rejected`: one AssumeRole for everyone that saw the same
   * credentials refused (callers arriving later get the replacement without another AssumeRole).
   */
  refreshRejected(connection: ConnectionRecord, rejected: TemporaryCredentials): Promise<TemporaryCredentials>;
  /** Drops every cached credential of the connection (ALTER, ROTATE, DROP). */
  invalidate(connectionId: string): void;
  close(): void;
}

interface CacheEntry {
  readonly connectionId: string;
  current: { readonly credentials: TemporaryCredentials; readonly obtainedAt: number } | undefined;
  refreshing: Promise<TemporaryCredentials> | undefined;
  /** After a failed background refresh, the next one waits until then (STS may be throttling us). */
  backgroundRetryAt: number;
}

const DEFAULT_DURATION_SECONDS = 3600;
const BACKGROUND_RETRY_DELAY_MS = 30_000;

/** The credential broker: AssumeRole per connection with the external ID, cached in memory only. */
export function createCredentialBroker(options: CredentialBrokerOptions): CredentialBroker {
  const durationSeconds = expectInteger(options.durationSeconds ?? DEFAULT_DURATION_SECONDS, 'durationSeconds', 900, 3600);
  const environment = options.environment ?? process.env;
  const clock = options.clock ?? { now: () => Date.now() };
  const stsTimeoutMs = expectInteger(options.stsTimeoutMs ?? 10_000, 'stsTimeoutMs', 1);
  const maxEntries = expectInteger(options.maxEntries ?? 1024, 'maxEntries', 1);
  const entries = new Map<string, CacheEntry>();
  let closed = false;

  function entryFor(connection: ConnectionRecord): CacheEntry {
    if (closed) throw new LakefnError('E_CLOSED', 'the credential broker is closed');
    if (connection.status !== 'VERIFIED') throw notUsableError(connection);
    const key = [connection.id, connection.version, connection.roleArn, connection.externalId].join('\n');
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = { connectionId: connection.id, current: undefined, refreshing: undefined, backgroundRetryAt: 0 };
      entries.set(key, entry);
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    } else {
      entries.delete(key); // most recently used goes last
      entries.set(key, entry);
    }
    return entry;
  }

  function refresh(entry: CacheEntry, connection: ConnectionRecord, reason: RefreshReason): Promise<TemporaryCredentials> {
    if (entry.refreshing !== undefined) return entry.refreshing;
    const refreshing = assumeRole(connection, reason).then(
      (credentials) => {
        entry.current = { credentials, obtainedAt: clock.now() };
        entry.refreshing = undefined;
        return credentials;
      },
      (error: unknown) => {
        entry.refreshing = undefined;
        throw error;
      },
    );
    entry.refreshing = refreshing;
    return refreshing;
  }

  async function assumeRole(connection: ConnectionRecord, reason: RefreshReason): Promise<TemporaryCredentials> {
    try {
      const broker = requireBrokerCredentials(connection, environment);
      const adapter = options.adapterFor(connection.provider);
      const binding = await adapter.bindConnection(connection);
      const result = await adapter.doAssumeRole({
        broker,
        binding,
        externalId: connection.externalId,
        sessionName: sessionNameFor(connection),
        durationSeconds,
        timeoutMs: stsTimeoutMs,
      });
      const { credentials } = result;
      const remaining = credentials.expiration.getTime() - clock.now();
      if (remaining <= MINIMUM_REMAINING_MS) {
        throw new LakefnError(
          'E_STS_REFRESH',
          `${providerDefinition(connection.provider).names.services.sts} issued credentials for connection ${connection.name} that expire in ${Math.round(remaining / 1000)} s; check the clocks of this host and the STS endpoint`,
          { location: { connection: connection.name, provider: connection.provider } },
        );
      }
      options.onEvent?.({ type: 'credentials-refresh', connection: connection.name, reason, accessKeyId: credentials.accessKeyId, expiresAt: credentials.expiration.toISOString() });
      return credentials;
    } catch (error) {
      const wrapped = wrapStsError(error, connection);
      options.onEvent?.({ type: 'credentials-refresh-failed', connection: connection.name, reason, code: wrapped.code });
      throw wrapped;
    }
  }

  async function usableCredentials(connection: ConnectionRecord): Promise<TemporaryCredentials> {
    const entry = entryFor(connection);
    const current = entry.current;
    if (current === undefined) return refresh(entry, connection, 'initial');
    const freshness = credentialFreshness(current.obtainedAt, current.credentials.expiration.getTime(), clock.now());
    if (freshness === 'refresh-now') return refresh(entry, connection, 'expiring');
    if (freshness === 'refresh-in-background' && entry.refreshing === undefined && clock.now() >= entry.backgroundRetryAt) {
      // Keep serving the current credentials; after a failure, try again a little later (or block once mandatory).
      refresh(entry, connection, 'background').catch(() => {
        entry.backgroundRetryAt = clock.now() + BACKGROUND_RETRY_DELAY_MS;
      });
    }
    return current.credentials;
  }

  async function refreshRejected(connection: ConnectionRecord, rejected: TemporaryCredentials | undefined): Promise<TemporaryCredentials> {
    const entry = entryFor(connection);
    if (entry.refreshing !== undefined) return entry.refreshing;
    if (entry.current !== undefined && entry.current.credentials !== rejected) return usableCredentials(connection);
    return refresh(entry, connection, 'forced');
  }

  return {
    credentialsFor(connection) {
      return async (sourceOptions) => {
        if (sourceOptions?.forceRefresh !== true) return usableCredentials(connection);
        return refreshRejected(connection, entryFor(connection).current?.credentials);
      };
    },
    refreshRejected,
    invalidate(connectionId) {
      for (const [key, entry] of entries) if (entry.connectionId === connectionId) entries.delete(key);
    },
    close() {
      closed = true;
      entries.clear();
    },
  };
}

/** Puts the connection name into STS failures; transient ones become the retryable E_STS_REFRESH. */
function wrapStsError(error: unknown, connection: ConnectionRecord): LakefnError {
  const cause = toLakefnError(error);
  const location = { ...cause.location, connection: connection.name, provider: connection.provider };
  if (cause.code === 'E_STS_DENIED') {
    return new LakefnError('E_STS_DENIED', stsDeniedMessage(providerDefinition(connection.provider).names.services.sts, connection.roleArn, connection.name, answerText(cause.provider)), {
      cause,
      location,
      ...(cause.provider === undefined ? {} : { provider: cause.provider }),
    });
  }
  if (cause.code === 'E_NO_BROKER_CREDENTIALS' || cause.code === 'E_CANCELLED' || cause.code === 'E_STS_REFRESH' || cause.code === 'E_STORE_TAMPERED' || cause.code === 'E_CLOSED') {
    return new LakefnError(cause.code, cause.message, { cause: cause.cause, location, retryable: cause.retryable });
  }
  // what to fix is the host's clock or the account's STS settings, not a transient failure: keep the code
  if (cause.code === 'E_CLOCK_SKEW' || cause.code === 'E_STS_REGION_DISABLED') {
    return new LakefnError(cause.code, `could not get temporary credentials for connection ${connection.name}: ${cause.message}`, {
      cause,
      location,
      ...(cause.provider === undefined ? {} : { provider: cause.provider }),
      ...(cause.data === undefined ? {} : { data: cause.data }),
    });
  }
  return new LakefnError('E_STS_REFRESH', `could not get temporary credentials for connection ${connection.name}: ${describeError(cause)}`, {
    cause,
    location,
    retryable: cause.retryable,
    ...(cause.provider === undefined ? {} : { provider: cause.provider }),
    ...(cause.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: cause.retryAfterSeconds }),
  });
}

function answerText(provider: LakefnError['provider']): string {
  if (provider === undefined) return '';
  const parts = [
    provider.code,
    provider.status === undefined ? undefined : `HTTP ${provider.status}`,
    provider.requestId === undefined ? undefined : `request id ${provider.requestId}`,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/**
 * Only a VERIFIED connection may be used: VALIDATE is what proves the role requires the external ID. Without this
 * gate, a role found to trust lakefn without the external ID could be used again after any ALTER or ROTATE (which
 * reset the status to PENDING) — the confused-deputy hole VALIDATE exists to close.
 */
function notUsableError(connection: ConnectionRecord): LakefnError {
  const { name } = connection;
  // quoted by the lexer's rules: a hint copied into `lakefn sql` must run exactly that one statement
  const quoted = quoteIdentifier(name);
  const reason =
    connection.status === 'INSECURE_TRUST_POLICY'
      ? `its role trusts lakefn without requiring the external ID (status INSECURE_TRUST_POLICY); add the external ID condition shown by DESC API CONNECTION ${quoted} to the role's trust policy, then run VALIDATE API CONNECTION ${quoted}`
      : connection.status === 'FAILED'
        ? `its last VALIDATE failed (${connection.statusDetail ?? 'no detail'}); fix that, then run VALIDATE API CONNECTION ${quoted}`
        : `it has not been validated since it was created or changed (status PENDING); attach the trust policy from DESC API CONNECTION ${quoted} to the role, then run VALIDATE API CONNECTION ${quoted}`;
  return new LakefnError('E_CONNECTION_NOT_USABLE', `connection ${name} is not usable: ${reason}`, { location: { connection: name, provider: connection.provider } });
}
