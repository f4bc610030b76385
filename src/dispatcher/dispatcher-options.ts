import type { CreateWireCodec } from '../codec/wire-codec.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { ProviderAdapterV1 } from '../spec/provider-adapter-v1.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import type { CredentialSource } from '../spec/temporary-credentials.ts';
import type { CallContext, ResolvedFunction } from './dispatcher-types.ts';
import type { RetryBudget, RetryBudgetOptions } from './retry-budget.ts';

export interface RetryOptions {
  /** Attempts per batch, the first included. @default 6 */
  readonly maxAttempts?: number;
  /** Backoff base for transport errors and 5xx. @default 100 */
  readonly baseDelayMs?: number;
  /** Backoff base after throttling (a throttled function needs longer to drain). @default 500 */
  readonly throttleBaseDelayMs?: number;
  /** Cap of one backoff draw (a Retry-After above it is still honoured). @default 20000 */
  readonly maxDelayMs?: number;
  /** Time one batch may spend retrying, from its first attempt; also capped by the call's deadline. @default 60000 */
  readonly batchBudgetMs?: number;
  /** The shared token bucket (an instance to share it between dispatchers). @default new RetryBudget() */
  readonly budget?: RetryBudget | RetryBudgetOptions;
}

export interface DispatcherOptions {
  /**
   * The function and its connection from the catalog (E_NO_SUCH_FUNCTION when unknown), with the call's guard when it
   * is governed. Called once per call, with the call's context (its principal and project).
   */
  readonly resolveFunction: (name: string, context: CallContext) => Promise<ResolvedFunction>;
  /** `Dispatcher.endQuery` is handed here (governance writes the query's merged audit summaries). */
  readonly onQueryEnd?: (queryId: string) => void;
  /** The provider's adapter (usually `registry.adapterFor`); each call binds it to the function's connection once. */
  readonly adapterFor: (provider: ProviderName) => ProviderAdapterV1;
  /** A memoized, single-flight credential source per connection (the credential broker). */
  readonly credentialsFor: (connection: ConnectionRecord) => CredentialSource;
  /** @default createWireCodec */
  readonly createCodec?: CreateWireCodec;
  /** Invocations in flight across all functions. @default 64 */
  readonly globalConcurrency?: number;
  /** Invocations in flight per connection. @default 32 */
  readonly perConnectionConcurrency?: number;
  /** Fraction of the provider's payload limit kept free (headers, encoding slack). @default 0.05 */
  readonly payloadHeadroom?: number;
  readonly retry?: RetryOptions;
  /** Epoch milliseconds. @default Date.now */
  readonly clock?: () => number;
  /** Uniform in [0, 1), for backoff jitter. @default Math.random */
  readonly random?: () => number;
  /** Resolves after `ms`, rejects with `signal.reason` when aborted. @default a timer */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}
