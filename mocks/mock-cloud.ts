import { setMaxListeners } from 'node:events';
import { accountIdVariable, brokerKeyVariables, brokerPartitions, endpointVariable } from '../src/config/provider-environment.ts';
import { PROVIDERS, providerDefinition } from '../src/registry/providers.ts';
import { AccountRegistry } from './account-registry.ts';
import { createAdminHandler } from './admin/admin-api.ts';
import { CallLog } from './call-log.ts';
import { FaultPlans } from './fault-plan.ts';
import { FunctionRegistry } from './function-registry.ts';
import { ADMIN_PREFIX } from './http/mock-router.ts';
import { MockServer } from './http/mock-server.ts';
import { createSkewedClock, systemClock, type MockClock, type SkewedClock } from './mock-clock.ts';
import type { MockProvider } from './mock-provider.ts';
import { type MockProviders, type MockState, mockProviderOf } from './mock-state.ts';
import type {
  CallLogEntry,
  FaultPlanDefinition,
  FunctionDefinition,
  MockAccount,
  MockCounters,
  MockEndpoints,
  ProviderName,
  RoleDefinition,
} from './mock-types.ts';
import { loadMockProviders } from './providers/index.ts';
import { RoleRegistry } from './role-registry.ts';
import { NonceRegistry } from './signatures/nonce-registry.ts';
import { LakefnError, expectInteger } from '../src/errors/index.ts';

export interface MockCloudOptions {
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Decides credential expiry and timestamp skew. @default systemClock */
  readonly clock?: MockClock;
  /** One line per request on stderr (no secrets). @default false */
  readonly log?: boolean;
  /** The broker accounts of the default partitions. @default each MockProvider's */
  readonly brokerAccountIds?: Partial<Record<ProviderName, string>>;
  /** The customer accounts of the default partitions. @default each MockProvider's */
  readonly customerAccountIds?: Partial<Record<ProviderName, string>>;
}

/** The accounts of one partition of a cloud: lakefn's broker, and the customer whose roles and functions it reaches. */
export interface MockPartitionAccounts {
  readonly broker: MockAccount;
  readonly customer: MockAccount;
}

/**
 * Every cloud of `PROVIDERS` (function service + STS) on one loopback port, with the real wire protocols and
 * signatures, trust-policy enforcement, a function registry, fault injection, a call log and an admin API. Each
 * provider has, in each of its partitions, a broker account (the identity lakefn runs as) and a customer account
 * (roles, functions). The clouds themselves are the MockProviders of `mocks/providers/<folder>/`.
 */
export class MockCloud {
  readonly endpoints: MockEndpoints;
  /** The variables that point lakefn at this mock (what `lakefn mock --json` prints as `env`). */
  readonly env: Readonly<Record<string, string>>;
  /** The broker account of each provider's default partition. */
  readonly brokerAccounts: Readonly<Record<ProviderName, MockAccount>>;
  /** The customer account of each provider's default partition. */
  readonly customerAccounts: Readonly<Record<ProviderName, MockAccount>>;
  /** `http://127.0.0.1:PORT/_mock` */
  readonly adminUrl: string;
  /** The mock's services' clock: `options.clock` skewed by `setClockOffset`. */
  readonly clock: MockClock;
  /** The clouds this mock speaks, in PROVIDERS order. */
  readonly providers: readonly MockProvider[];
  readonly #state: MockState;
  readonly #server: MockServer;
  readonly #stopping: AbortController;
  readonly #partitions: ReadonlyMap<string, MockPartitionAccounts>;
  readonly #clock: SkewedClock;
  #stopped: Promise<void> | undefined;

  private constructor(server: MockServer, state: MockState, stopping: AbortController, clock: SkewedClock, options: MockCloudOptions) {
    this.#server = server;
    this.#clock = clock;
    this.#state = state;
    this.#stopping = stopping;
    this.clock = state.clock;
    this.providers = [...state.providers.values()];
    const base = `http://127.0.0.1:${server.port}`;
    this.endpoints = Object.fromEntries(
      PROVIDERS.map((definition) => [definition.id, { [definition.endpoints.apis.sts]: base, [definition.endpoints.apis.invoke]: base }]),
    ) as unknown as MockEndpoints;
    this.adminUrl = `${base}${ADMIN_PREFIX}`;
    const partitions = new Map<string, MockPartitionAccounts>();
    const env: Record<string, string> = {};
    for (const mock of this.providers) {
      const provider = mock.id;
      for (const phase of ['sts', 'invoke'] as const) env[endpointVariable(provider, phase)] = base;
      mock.accounts.partitions.forEach((space, index) => {
        const isDefault = index === 0;
        const accounts: MockPartitionAccounts = {
          broker: state.accounts.addAccount(provider, (isDefault ? options.brokerAccountIds?.[provider] : undefined) ?? space.brokerAccountId, space.id),
          customer: state.accounts.addAccount(provider, (isDefault ? options.customerAccountIds?.[provider] : undefined) ?? space.customerAccountId, space.id),
        };
        partitions.set(`${provider}/${space.id}`, accounts);
        const partition = brokerPartitions(provider).find((candidate) => candidate.id === space.id);
        if (partition === undefined) throw new Error(`the ${provider} mock has partition '${space.id}', which ${providerDefinition(provider).folder}'s definition does not`);
        const [idVariable, secretVariable] = brokerKeyVariables(provider, partition);
        env[idVariable] = accounts.broker.accessKeyId;
        env[secretVariable] = accounts.broker.secretAccessKey;
        env[accountIdVariable(provider, partition)] = accounts.broker.accountId;
      });
    }
    this.#partitions = partitions;
    this.env = env;
    const byProvider = (pick: (accounts: MockPartitionAccounts) => MockAccount) =>
      Object.fromEntries(this.providers.map((mock) => [mock.id, pick(this.partitionAccounts(mock.id))])) as Record<ProviderName, MockAccount>;
    this.brokerAccounts = byProvider((accounts) => accounts.broker);
    this.customerAccounts = byProvider((accounts) => accounts.customer);
  }

  /** Starts the mock on 127.0.0.1. */
  static async start(options: MockCloudOptions = {}): Promise<MockCloud> {
    const stopping = new AbortController();
    // every delayed call listens on this one signal; hundreds at once are normal under load
    setMaxListeners(0, stopping.signal);
    const providers: MockProviders = new Map((await loadMockProviders()).map((provider) => [provider.id, provider]));
    const clock = createSkewedClock(options.clock ?? systemClock);
    const state: MockState = {
      clock,
      providers,
      accounts: new AccountRegistry(providers),
      roles: new RoleRegistry(providers),
      functions: new FunctionRegistry(providers),
      faults: new FaultPlans(),
      callLog: new CallLog(),
      nonces: new NonceRegistry(),
      disabledStsRegions: new Set(),
      stopping: stopping.signal,
    };
    const server = await MockServer.listen(expectInteger(options.port ?? 0, 'port', 0, 65_535), state, options.log ?? false);
    const cloud = new MockCloud(server, state, stopping, clock, options);
    server.setAdminHandler(createAdminHandler(cloud));
    return cloud;
  }

  /** The mock of one cloud (its rules and capabilities). */
  provider(provider: ProviderName): MockProvider {
    return mockProviderOf(this.#state.providers, provider);
  }

  /** The broker and customer accounts of a partition (AWS `aws-cn`…); the default partition when none is named. */
  partitionAccounts(provider: ProviderName, partition?: string): MockPartitionAccounts {
    const id = partition ?? this.provider(provider).accounts.partitions[0].id;
    const accounts = this.#partitions.get(`${provider}/${id}`);
    if (accounts === undefined) throw new LakefnError('E_INVALID_ARGUMENT', `${provider} has no partition '${id.slice(0, 40)}' in the lakefn mock`);
    return accounts;
  }

  /**
   * Adds an account with one long-lived key (e.g. an untrusted third party); a random id when none is given, in the
   * provider's default partition unless another is named.
   */
  addAccount(provider: ProviderName, accountId?: string, partition?: string): MockAccount {
    return this.#state.accounts.addAccount(provider, accountId, partition);
  }

  /** Creates or replaces a role; throws when the ARN or the trust policy cannot be parsed. */
  putRole(role: RoleDefinition): void {
    this.#state.roles.put(role);
  }

  /** Creates or replaces a function (statistics survive a replacement); returns its counters key. */
  putFunction(definition: FunctionDefinition): string {
    return this.#state.functions.put(definition).key;
  }

  /** Installs a fault plan (replacing one for the same target); call numbers count from now. Empty plan = none. */
  putFaults(definition: FaultPlanDefinition): void {
    this.#state.faults.put(definition);
  }

  /**
   * Skews every service's clock by `milliseconds` (negative: behind) from the clock the mock was started with: request
   * signatures are checked against it (each service's own window), credentials expire on it, answers carry it in
   * `Date`. 0 removes the skew. `reset()` keeps it.
   */
  setClockOffset(milliseconds: number): void {
    this.#clock.setOffset(milliseconds);
  }

  /** The current skew set by setClockOffset, in ms. */
  get clockOffsetMs(): number {
    return this.#clock.offsetMs;
  }

  /**
   * Deactivates (or activates again) a provider's STS in a region, as an account administrator can on clouds that allow
   * it: AssumeRole signed for that region is refused the provider's way (AWS RegionDisabledException, HTTP 403).
   * Providers without such a setting ignore it.
   */
  setStsRegionEnabled(provider: ProviderName, region: string, enabled: boolean): void {
    const key = `${provider}/${region}`;
    if (enabled) this.#state.disabledStsRegions.delete(key);
    else this.#state.disabledStsRegions.add(key);
  }

  /** A copy of the call log, oldest first. */
  calls(): CallLogEntry[] {
    return this.#state.callLog.entries();
  }

  counters(): MockCounters {
    return { functions: this.#state.functions.counters(), apis: this.#state.callLog.apiCounts() };
  }

  /**
   * 'observations' (default): clears the call log, counters, warm instances and fault plans. 'all' also forgets
   * roles, functions and issued temporary credentials (accounts and their keys stay).
   */
  reset(scope: 'observations' | 'all' = 'observations'): void {
    this.#state.callLog.clear();
    this.#state.functions.resetState();
    this.#state.faults.clear();
    if (scope === 'all') {
      this.#state.roles.clear();
      this.#state.functions.clear();
      this.#state.accounts.clearTemporary();
    }
  }

  /** What `lakefn mock --json` prints: env, customer account ids, admin URL (plus the endpoints). */
  info(): { env: Record<string, string>; customer_accounts: Record<ProviderName, string>; admin_url: string; endpoints: MockEndpoints } {
    return {
      env: { ...this.env },
      customer_accounts: Object.fromEntries(this.providers.map((mock) => [mock.id, this.customerAccounts[mock.id].accountId])) as Record<ProviderName, string>,
      admin_url: this.adminUrl,
      endpoints: this.endpoints,
    };
  }

  /** Stops listening, drops every connection (hung calls included) and ends pending delays. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#stopping.abort();
      await this.#server.close();
    })();
    return this.#stopped;
  }
}

export { createManualClock, systemClock, type ManualClock, type MockClock } from './mock-clock.ts';
export { BUILTIN_FUNCTION_NAMES } from './builtin-functions.ts';
export type { MockProvider } from './mock-provider.ts';
export type {
  CallLogEntry,
  FaultKind,
  FaultPlanDefinition,
  FaultPlanEntry,
  FunctionCounters,
  FunctionDefinition,
  FunctionHandler,
  InvocationContext,
  MockAccount,
  MockApi,
  MockCounters,
  MockEndpoints,
  ProviderName,
  RoleDefinition,
} from './mock-types.ts';
