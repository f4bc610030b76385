import { createCredentialBroker, type CredentialBroker } from '../../src/credentials/index.ts';
import { createDispatcher } from '../../src/dispatcher/create-dispatcher.ts';
import type { DispatcherOptions } from '../../src/dispatcher/dispatcher-options.ts';
import type { Dispatcher } from '../../src/dispatcher/dispatcher-types.ts';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionProperties, type FunctionRecord } from '../../src/spec/function-record.ts';
import type { ProviderAdapterV1, ProviderName } from '../../src/spec/index.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';

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
