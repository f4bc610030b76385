import { generateExternalId } from '../../src/catalog/external-id.ts';
import { trustPolicy } from '../../src/catalog/trust-policy.ts';
import type { InvokeTransport } from '../../src/provider-utils/index.ts';
import { type ProviderRegistry, createProviderRegistry } from '../../src/registry/provider-registry.ts';
import { PROVIDER_NAMES, providerDefinition } from '../../src/registry/providers.ts';
import type { ConnectionBindingV1, ConnectionRecord, ProviderAdapterV1, ProviderName } from '../../src/spec/index.ts';
import { MockCloud, type MockCloudOptions } from '../../mocks/mock-cloud.ts';
import type { FunctionDefinition } from '../../mocks/mock-types.ts';

/** The namespace the fixtures use on clouds that have namespaces (not the default one). */
export const TEST_NAMESPACE = 'lakefn-test';

/** One provider set up in the mock: a role trusting the broker with the connection's external ID. */
export interface MockProviderFixture {
  readonly provider: ProviderName;
  readonly adapter: ProviderAdapterV1;
  /** A VERIFIED connection record for the role (id, version and external ID as the catalog makes them). */
  readonly connection: ConnectionRecord;
  /** `adapter.bindConnection(connection)`: what each call of the fixture's connection carries. */
  readonly binding: ConnectionBindingV1;
  /** The customer account that owns the role and the functions. */
  readonly accountId: string;
  /** The mock's default region for the provider (where `lakefn mock` puts the built-ins). */
  readonly region: string;
  readonly namespace: string;
  /** What the provider's service does, so that suites assert it without asking which provider this is. */
  readonly capabilities: {
    /** The qualifier naming the latest code (`$LATEST`, `LATEST`). */
    readonly latestQualifier: string;
    /** The reply carries a log tail when asked. */
    readonly logTail: boolean;
    /** A throttle carries Retry-After. */
    readonly throttleRetryAfter: boolean;
    /** The service's not-found code for an unpublished qualifier: a name (`staging`), a number (`7`). */
    readonly missingQualifier: { readonly named: string; readonly numbered: string };
  };
  /** Registers a function of the customer account in the fixture's region (and namespace). */
  putFunction(name: string, definition: Omit<FunctionDefinition, 'provider' | 'accountId' | 'region' | 'namespace' | 'name'>): void;
  /**
   * Registers another role of the customer account and returns a connection to it.
   * `trust`: 'external-id' (the DESC policy), 'no-external-id' (insecure), or another external ID to require.
   */
  addConnection(roleName: string, trust: 'external-id' | 'no-external-id' | { readonly requireExternalId: string }): ConnectionRecord;
}

export interface MockCloudContext {
  readonly cloud: MockCloud;
  readonly registry: ProviderRegistry;
  /** The mock's env: endpoint overrides, broker keys and broker account ids. */
  readonly environment: Readonly<Record<string, string>>;
  readonly fixtures: Readonly<Record<ProviderName, MockProviderFixture>>;
}

/** Starts a mock cloud and a provider registry pointed at it, runs `run`, and always stops both. */
export async function withMockCloud<T>(run: (context: MockCloudContext) => Promise<T>, options: MockCloudOptions = {}): Promise<T> {
  const context = await startMockCloud(options);
  try {
    return await run(context);
  } finally {
    await stopMockCloud(context);
  }
}

/**
 * For suites that share one mock across tests (`before` / `after`). `invokeTransport` picks the adapters' invoke path
 * (default: LAKEFN_TEST_INVOKE_TRANSPORT=http|sdk, else the adapters' default).
 */
export async function startMockCloud(options: MockCloudOptions = {}, invokeTransport?: InvokeTransport): Promise<MockCloudContext> {
  const cloud = await MockCloud.start(options);
  const registry = createProviderRegistry({ environment: cloud.env, invokeTransport: invokeTransport ?? transportFromEnvironment() });
  const fixtures = await Promise.all(PROVIDER_NAMES.map((provider) => makeFixture(cloud, registry, provider)));
  return { cloud, registry, environment: cloud.env, fixtures: Object.fromEntries(fixtures.map((fixture) => [fixture.provider, fixture])) as Record<ProviderName, MockProviderFixture> };
}

export async function stopMockCloud(context: MockCloudContext): Promise<void> {
  await context.registry.close();
  await context.cloud.stop();
}

function transportFromEnvironment(): InvokeTransport | undefined {
  const value = process.env.LAKEFN_TEST_INVOKE_TRANSPORT;
  return value === 'http' || value === 'sdk' ? value : undefined;
}

async function makeFixture(cloud: MockCloud, registry: ProviderRegistry, provider: ProviderName): Promise<MockProviderFixture> {
  const definition = providerDefinition(provider);
  const mock = cloud.provider(provider);
  const accountId = cloud.customerAccounts[provider].accountId;
  const brokerAccountId = cloud.brokerAccounts[provider].accountId;
  const region = mock.functions.defaultRegion;
  const namespace = mock.functions.namespaced ? TEST_NAMESPACE : 'default';
  const addConnection: MockProviderFixture['addConnection'] = (roleName, trust) => {
    const connection = connectionRecord(provider, definition.catalog.roleArn.format({ accountId, roleName }), region, namespace, roleName);
    const required = typeof trust === 'object' ? trust.requireExternalId : connection.externalId;
    const policy: Record<string, unknown> = { ...trustPolicy({ ...connection, externalId: required }, brokerAccountId) };
    cloud.putRole({ provider, roleArn: connection.roleArn, trustPolicy: trust === 'no-external-id' ? withoutCondition(policy) : policy });
    return connection;
  };
  const adapter = registry.adapterFor(provider);
  const connection = addConnection('lakefn-contract', 'external-id');
  return {
    provider,
    adapter,
    connection,
    binding: await adapter.bindConnection(connection),
    accountId,
    region,
    namespace,
    capabilities: {
      latestQualifier: definition.catalog.functions.latestQualifier,
      logTail: mock.capabilities.logTail,
      throttleRetryAfter: mock.capabilities.throttleRetryAfter,
      missingQualifier: mock.capabilities.missingQualifier,
    },
    putFunction(name, functionDefinition) {
      cloud.putFunction({ ...functionDefinition, provider, accountId, region, namespace, name });
    },
    addConnection,
  };
}

/** A VERIFIED connection record, as CREATE + VALIDATE API CONNECTION would store it. */
export function connectionRecord(provider: ProviderName, roleArn: string, region: string, namespace: string, name: string): ConnectionRecord {
  const now = new Date().toISOString();
  return {
    id: crypto.randomUUID(),
    name: `${provider}_${name.replaceAll('-', '_')}`,
    provider,
    region,
    roleArn,
    namespace,
    codeBucket: null,
    externalId: generateExternalId(),
    comment: null,
    status: 'VERIFIED',
    statusDetail: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** The same policy with every statement's condition removed: trusts the broker account without an external ID. */
export function withoutCondition(policy: Record<string, unknown>): Record<string, unknown> {
  const key = 'Statement' in policy ? 'Statement' : 'statement';
  const statements = policy[key] as readonly Record<string, unknown>[];
  return {
    ...policy,
    [key]: statements.map((statement) => Object.fromEntries(Object.entries(statement).filter(([name]) => name !== 'Condition' && name !== 'condition'))),
  };
}

/** A call to a cloud's STS (`sts:AssumeRole`, `sts:AssumeAgency`…): the mock names STS operations `sts:<operation>`. */
export function isStsCall(call: { readonly api: string | undefined }): boolean {
  return call.api?.startsWith('sts:') === true;
}
