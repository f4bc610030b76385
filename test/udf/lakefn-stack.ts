import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockCloud } from '../../mocks/mock-cloud.ts';
import type { FunctionDefinition } from '../../mocks/mock-types.ts';
import { validateConnection } from '../../src/credentials/index.ts';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.ts';
import type { ConnectionDescriptionResult } from '../../src/sql/execute-result.ts';
import type { ExecutionServices } from '../../src/sql/execute-services.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import { namespaceRequirement } from '../../src/catalog/namespace.ts';
import { PROVIDER_NAMES, providerDefinition } from '../../src/registry/providers.ts';
import type { ProviderName } from '../../src/spec/provider-name.ts';
import { createUdfHook } from '../../src/udf/create-udf-hook.ts';
import type { UdfHook } from '../../src/udf/udf-hook.ts';

/** Every provider: the stack runs each in the mock's default region for it. */
export const PROVIDERS: readonly ProviderName[] = PROVIDER_NAMES;

/**
 * The real stack for end-to-end tests: the mock cloud, a temporary home with a SQLite catalog, the runtime (real
 * SDKs → mock over loopback) and a UDF hook over it. Connections are made the way a user makes them: CREATE API
 * CONNECTION, the role created with DESC's trust policy, VALIDATE.
 */
export interface LakefnStack {
  readonly mock: MockCloud;
  readonly home: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly runtime: Runtime;
  readonly hook: UdfHook;
  readonly services: ExecutionServices;
  /** Runs DDL through the SQL executor. */
  sql(text: string): Promise<void>;
  /** CREATE API CONNECTION `name` for `provider` + role with DESC's trust policy + VALIDATE (VERIFIED). */
  createConnection(provider: ProviderName, name: string): Promise<void>;
  /** Deploys a function in the provider's customer account (region of the stack). */
  putFunction(provider: ProviderName, name: string, definition: Omit<FunctionDefinition, 'provider' | 'accountId' | 'region' | 'namespace' | 'name'>): void;
  stop(): Promise<void>;
}

export async function startLakefnStack(): Promise<LakefnStack> {
  const mock = await MockCloud.start();
  const home = await mkdtemp(join(tmpdir(), 'lakefn-stack-'));
  const environment = mock.env;
  const runtime = await createRuntime({ home, environment, dispatcher: { retry: { throttleBaseDelayMs: 20, baseDelayMs: 10 } } });
  const hook = await createUdfHook({ store: runtime.store, dispatcher: runtime.dispatcher });
  const services: ExecutionServices = {
    store: runtime.store,
    environment,
    validateConnection: (connection) => validateConnection(connection, { adapterFor: (provider) => runtime.registry.adapterFor(provider), environment }),
    onConnectionChanged: (previous) => runtime.broker.invalidate(previous.id),
  };
  const sql = async (text: string): Promise<void> => {
    await executeStatements(text, services);
  };
  return {
    mock,
    home,
    environment,
    runtime,
    hook,
    services,
    sql,
    async createConnection(provider, name) {
      const accountId = mock.customerAccounts[provider].accountId;
      const roleArn = providerDefinition(provider).catalog.roleArn.format({ accountId, roleName: `role-${name.replaceAll('_', '-')}` });
      const namespace = namespaceRequirement(provider) === undefined ? '' : " NAMESPACE = 'default'";
      await sql(`CREATE API CONNECTION ${name} TYPE CLOUD_FUNCTION PROVIDER = '${provider}' REGION = '${mock.provider(provider).functions.defaultRegion}' ROLE_ARN = '${roleArn}'${namespace}`);
      const [described] = await executeStatements(`DESC API CONNECTION ${name}`, services);
      mock.putRole({ provider, roleArn, trustPolicy: JSON.stringify((described as ConnectionDescriptionResult).description.trust_policy) });
      await sql(`VALIDATE API CONNECTION ${name}`);
    },
    putFunction(provider, name, definition) {
      mock.putFunction({ ...definition, provider, accountId: mock.customerAccounts[provider].accountId, region: mock.provider(provider).functions.defaultRegion, namespace: 'default', name });
    },
    async stop() {
      try {
        await hook.close();
        await runtime.close();
      } finally {
        await mock.stop();
        await rm(home, { recursive: true, force: true });
      }
    },
  };
}
