import { setMaxListeners } from 'node:events';
import {
  accountIdVariable,
  BROKER_KEY_VARIABLES,
  DEFAULT_BROKER_ACCOUNT_IDS,
  endpointVariable,
  PROVIDER_APIS,
} from '../src/config/provider-environment.ts';
import { PROVIDER_NAMES } from '../src/spec/provider-name.ts';
import { AccountRegistry } from './account-registry.ts';
import { createAdminHandler } from './admin/admin-api.ts';
import { CallLog } from './call-log.ts';
import { FaultPlans } from './fault-plan.ts';
import { FunctionRegistry } from './function-registry.ts';
import { ADMIN_PREFIX } from './http/mock-router.ts';
import { MockServer } from './http/mock-server.ts';
import { systemClock, type MockClock } from './mock-clock.ts';
import type { MockState } from './mock-state.ts';
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
import { RoleRegistry } from './role-registry.ts';
import { NonceRegistry } from './signatures/acs3-verifier.ts';

export interface MockCloudOptions {
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Decides credential expiry and timestamp skew. @default systemClock */
  readonly clock?: MockClock;
  /** One line per request on stderr (no secrets). @default false */
  readonly log?: boolean;
  /** @default DEFAULT_BROKER_ACCOUNT_IDS */
  readonly brokerAccountIds?: Partial<Record<ProviderName, string>>;
  /** @default DEFAULT_CUSTOMER_ACCOUNT_IDS */
  readonly customerAccountIds?: Partial<Record<ProviderName, string>>;
}

/** Documented customer account ids (where roles and functions live), next to the brokers' …0001. */
export const DEFAULT_CUSTOMER_ACCOUNT_IDS = {
  aliyun: '1000000000000002',
  tencent: '100000000002',
  aws: '000000000002',
} as const satisfies Record<ProviderName, string>;

function perProvider<T>(make: (provider: ProviderName) => T): Record<ProviderName, T> {
  return { aliyun: make('aliyun'), tencent: make('tencent'), aws: make('aws') };
}

/**
 * Alibaba Cloud FC 3.0 + STS, Tencent SCF + STS and AWS Lambda + STS on one loopback port, with the real wire
 * protocols and signatures, trust-policy enforcement, a function registry, fault injection, a call log and an admin
 * API. Each provider has a broker account (the identity lakefn runs as) and a customer account (roles, functions).
 */
export class MockCloud {
  readonly endpoints: MockEndpoints;
  /** The variables that point lakefn at this mock (what `lakefn mock --json` prints as `env`). */
  readonly env: Readonly<Record<string, string>>;
  readonly brokerAccounts: Readonly<Record<ProviderName, MockAccount>>;
  readonly customerAccounts: Readonly<Record<ProviderName, MockAccount>>;
  /** `http://127.0.0.1:PORT/_mock` */
  readonly adminUrl: string;
  readonly clock: MockClock;
  readonly #state: MockState;
  readonly #server: MockServer;
  readonly #stopping: AbortController;
  #stopped: Promise<void> | undefined;

  private constructor(server: MockServer, state: MockState, stopping: AbortController, options: MockCloudOptions) {
    this.#server = server;
    this.#state = state;
    this.#stopping = stopping;
    this.clock = state.clock;
    const base = `http://127.0.0.1:${server.port}`;
    this.endpoints = { aliyun: { sts: base, fc: base }, tencent: { sts: base, scf: base }, aws: { sts: base, lambda: base } };
    this.adminUrl = `${base}${ADMIN_PREFIX}`;
    this.brokerAccounts = perProvider((provider) => state.accounts.addAccount(provider, options.brokerAccountIds?.[provider] ?? DEFAULT_BROKER_ACCOUNT_IDS[provider]));
    this.customerAccounts = perProvider((provider) => state.accounts.addAccount(provider, options.customerAccountIds?.[provider] ?? DEFAULT_CUSTOMER_ACCOUNT_IDS[provider]));
    const env: Record<string, string> = {};
    for (const provider of PROVIDER_NAMES) {
      for (const api of PROVIDER_APIS[provider]) env[endpointVariable(provider, api)] = base;
      const [idVariable, secretVariable] = BROKER_KEY_VARIABLES[provider];
      env[idVariable] = this.brokerAccounts[provider].accessKeyId;
      env[secretVariable] = this.brokerAccounts[provider].secretAccessKey;
      env[accountIdVariable(provider)] = this.brokerAccounts[provider].accountId;
    }
    this.env = env;
  }

  /** Starts the mock on 127.0.0.1. */
  static async start(options: MockCloudOptions = {}): Promise<MockCloud> {
    const stopping = new AbortController();
    // every delayed call listens on this one signal; hundreds at once are normal under load
    setMaxListeners(0, stopping.signal);
    const state: MockState = {
      clock: options.clock ?? systemClock,
      accounts: new AccountRegistry(),
      roles: new RoleRegistry(),
      functions: new FunctionRegistry(),
      faults: new FaultPlans(),
      callLog: new CallLog(),
      nonces: new NonceRegistry(),
      stopping: stopping.signal,
    };
    const server = await MockServer.listen(options.port ?? 0, state, options.log ?? false);
    const cloud = new MockCloud(server, state, stopping, options);
    server.setAdminHandler(createAdminHandler(cloud));
    return cloud;
  }

  /** Adds an account with one long-lived key (e.g. an untrusted third party); a random id when none is given. */
  addAccount(provider: ProviderName, accountId?: string): MockAccount {
    return this.#state.accounts.addAccount(provider, accountId);
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
      customer_accounts: perProvider((provider) => this.customerAccounts[provider].accountId),
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
