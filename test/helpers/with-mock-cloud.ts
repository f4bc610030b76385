import { generateExternalId } from '../../src/catalog/external-id.ts';
import { trustPolicy } from '../../src/catalog/trust-policy.ts';
import type { InvokeTransport } from '../../src/provider-utils/index.ts';
import { type ProviderRegistry, createProviderRegistry } from '../../src/registry/provider-registry.ts';
import type { ConnectionRecord, ProviderAdapterV1, ProviderName } from '../../src/spec/index.ts';
import { MockCloud, type MockCloudOptions } from '../../mocks/mock-cloud.ts';
import type { FunctionDefinition } from '../../mocks/mock-types.ts';

/** Where each provider's test functions live in the mock (regions the catalog knows). */
export const TEST_REGIONS = { aws: 'us-east-1', aliyun: 'cn-hangzhou', tencent: 'ap-guangzhou' } as const satisfies Record<ProviderName, string>;
export const TEST_NAMESPACE = 'lakefn-test';

/** One provider set up in the mock: a role trusting the broker with the connection's external ID. */
export interface MockProviderFixture {
  readonly provider: ProviderName;
  readonly adapter: ProviderAdapterV1;
  /** A VERIFIED connection record for the role (id, version and external ID as the catalog makes them). */
  readonly connection: ConnectionRecord;
  /** The customer account that owns the role and the functions. */
  readonly accountId: string;
  readonly region: string;
  readonly namespace: string;
  /** Registers a function of the customer account in the fixture's region (and SCF namespace). */
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
  const fixture = (provider: ProviderName): MockProviderFixture => makeFixture(cloud, registry, provider);
  return { cloud, registry, environment: cloud.env, fixtures: { aws: fixture('aws'), aliyun: fixture('aliyun'), tencent: fixture('tencent') } };
}

export async function stopMockCloud(context: MockCloudContext): Promise<void> {
  await context.registry.close();
  await context.cloud.stop();
}

function transportFromEnvironment(): InvokeTransport | undefined {
  const value = process.env.LAKEFN_TEST_INVOKE_TRANSPORT;
  return value === 'http' || value === 'sdk' ? value : undefined;
}

function makeFixture(cloud: MockCloud, registry: ProviderRegistry, provider: ProviderName): MockProviderFixture {
  const accountId = cloud.customerAccounts[provider].accountId;
  const brokerAccountId = cloud.brokerAccounts[provider].accountId;
  const region = TEST_REGIONS[provider];
  const namespace = provider === 'tencent' ? TEST_NAMESPACE : 'default';
  const addConnection: MockProviderFixture['addConnection'] = (roleName, trust) => {
    const connection = connectionRecord(provider, roleArnFor(provider, accountId, roleName), region, namespace, roleName);
    const required = typeof trust === 'object' ? trust.requireExternalId : connection.externalId;
    const policy: Record<string, unknown> = { ...trustPolicy({ ...connection, externalId: required }, brokerAccountId) };
    cloud.putRole({ provider, roleArn: connection.roleArn, trustPolicy: trust === 'no-external-id' ? withoutCondition(policy) : policy });
    return connection;
  };
  return {
    provider,
    adapter: registry.adapterFor(provider),
    connection: addConnection('lakefn-contract', 'external-id'),
    accountId,
    region,
    namespace,
    putFunction(name, definition) {
      cloud.putFunction({ ...definition, provider, accountId, region, ...(provider === 'tencent' ? { namespace } : {}), name });
    },
    addConnection,
  };
}

function roleArnFor(provider: ProviderName, accountId: string, roleName: string): string {
  switch (provider) {
    case 'aws':
      return `arn:aws:iam::${accountId}:role/${roleName}`;
    case 'aliyun':
      return `acs:ram::${accountId}:role/${roleName}`;
    case 'tencent':
      return `qcs::cam::uin/${accountId}:roleName/${roleName}`;
  }
}

function connectionRecord(provider: ProviderName, roleArn: string, region: string, namespace: string, name: string): ConnectionRecord {
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
function withoutCondition(policy: Record<string, unknown>): Record<string, unknown> {
  const key = 'Statement' in policy ? 'Statement' : 'statement';
  const statements = policy[key] as readonly Record<string, unknown>[];
  return {
    ...policy,
    [key]: statements.map((statement) => Object.fromEntries(Object.entries(statement).filter(([name]) => name !== 'Condition' && name !== 'condition'))),
  };
}
