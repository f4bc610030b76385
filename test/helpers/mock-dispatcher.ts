import { createCredentialBroker, type CredentialBroker } from '../../src/credentials/index.ts';
import { createDispatcher } from '../../src/dispatcher/create-dispatcher.ts';
import type { DispatcherOptions } from '../../src/dispatcher/dispatcher-options.ts';
import type { Dispatcher } from '../../src/dispatcher/dispatcher-types.ts';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionProperties, type FunctionRecord } from '../../src/spec/function-record.ts';
import type { ProviderAdapterV1, ProviderName } from '../../src/spec/index.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';
import type { CallLogEntry, FaultPlanEntry, FunctionDefinition } from '../../mocks/mock-types.ts';
import type { MockCloudContext } from './with-mock-cloud.ts';

const VARCHAR: SqlType = { kind: 'VARCHAR' };

export interface TestFunctionOptions {
  /** @default [VARCHAR] */
  readonly argumentTypes?: readonly SqlType[];
  /** @default VARCHAR */
  readonly returnType?: SqlType;
  readonly properties?: Partial<FunctionProperties>;
}

/** The catalog record of `f(a0 T0, …) RETURNS returnType` calling `cloudFunction` through `connection`. */
export function testFunctionRecord(connection: ConnectionRecord, cloudFunction: string, options: TestFunctionOptions = {}): FunctionRecord {
  return {
    id: `id-${cloudFunction}`,
    name: 'f',
    arguments: (options.argumentTypes ?? [VARCHAR]).map((type, index) => ({ name: `a${index}`, type })),
    returnType: options.returnType ?? VARCHAR,
    connectionName: connection.name,
    connectionId: connection.id,
    cloudFunction,
    qualifier: null,
    properties: { ...DEFAULT_FUNCTION_PROPERTIES, ...options.properties },
    comment: null,
    createdAt: new Date().toISOString(),
  };
}

export interface TestDispatcher {
  readonly dispatcher: Dispatcher;
  readonly broker: CredentialBroker;
  close(): Promise<void>;
}

/**
 * A dispatcher and credential broker over `adapterFor` (a registry pointed at the mock), resolving every function name
 * to `record` on `connection`; `environment` holds the broker keys.
 */
export function dispatcherFor(
  adapterFor: (provider: ProviderName) => ProviderAdapterV1,
  environment: Readonly<Record<string, string>>,
  record: FunctionRecord,
  connection: ConnectionRecord,
  options: Partial<DispatcherOptions> = {},
): TestDispatcher {
  const broker = createCredentialBroker({ adapterFor, environment });
  const dispatcher = createDispatcher({
    resolveFunction: async () => ({ function: record, connection }),
    adapterFor,
    credentialsFor: (target) => broker.credentialsFor(target),
    ...options,
  });
  return {
    dispatcher,
    broker,
    async close() {
      await dispatcher.close();
      broker.close();
    },
  };
}

let functionCounter = 0;

/**
 * Registers `definition` under a fresh cloud-function name in `provider`'s fixture of `mock` (with a fault plan, if
 * given) and returns a dispatcher that knows it as `f`, plus the mock's call log of that function.
 */
export function dispatcherOverMock(
  mock: MockCloudContext,
  provider: ProviderName,
  definition: Omit<FunctionDefinition, 'provider' | 'accountId' | 'region' | 'namespace' | 'name'>,
  functionOptions: TestFunctionOptions = {},
  options: { readonly faults?: readonly FaultPlanEntry[]; readonly dispatcher?: Partial<DispatcherOptions> } = {},
): TestDispatcher & { calls(): CallLogEntry[] } {
  functionCounter += 1;
  const cloudFunction = `${provider}_test_${functionCounter}`;
  const fixture = mock.fixtures[provider];
  fixture.putFunction(cloudFunction, definition);
  if (options.faults !== undefined) mock.cloud.putFaults({ provider, function: cloudFunction, plan: options.faults });
  const record = testFunctionRecord(fixture.connection, cloudFunction, functionOptions);
  return {
    ...dispatcherFor((name) => mock.registry.adapterFor(name), mock.environment, record, fixture.connection, options.dispatcher),
    calls: () => mock.cloud.calls().filter((entry) => entry.function === cloudFunction),
  };
}
