import { randomUUID } from 'node:crypto';
import { generateExternalId, trustPolicy } from '../../src/catalog/index.ts';
import { createCredentialBroker, type CredentialBroker, requireBrokerAccountId } from '../../src/credentials/index.ts';
import { createDispatcher } from '../../src/dispatcher/create-dispatcher.ts';
import type { RetryOptions } from '../../src/dispatcher/dispatcher-options.ts';
import type { Dispatcher } from '../../src/dispatcher/dispatcher-types.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { createProviderRegistry, type ProviderRegistry } from '../../src/registry/provider-registry.ts';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionProperties, type FunctionRecord } from '../../src/spec/function-record.ts';
import type { ProviderAdapterV1 } from '../../src/spec/provider-adapter-v1.ts';
import { providerDefinition } from '../../src/registry/providers.ts';
import type { ProviderName } from '../../src/spec/provider-name.ts';
import type { MockInfo } from './mock-process.ts';
import { benchSupport } from './presigned-invoke.ts';

/** One region per provider (the mock serves any; each cloud's mock names a real one). */
export function benchRegion(provider: ProviderName): string {
  return benchSupport(provider).region;
}

const ROLE_NAME = 'lakefn-bench';
const CREATED_AT = new Date().toISOString();

/** The customer role lakefn assumes, in each provider's ARN syntax. */
export function benchRoleArn(provider: ProviderName, accountId: string): string {
  return providerDefinition(provider).catalog.roleArn.format({ accountId, roleName: ROLE_NAME });
}

/** A VERIFIED connection record to the mock's customer account (what CREATE + VALIDATE API CONNECTION store). */
export function benchConnection(provider: ProviderName, mock: MockInfo, externalId: string = generateExternalId()): ConnectionRecord {
  return {
    id: randomUUID(),
    name: `bench_${provider}`,
    provider,
    region: benchRegion(provider),
    roleArn: benchRoleArn(provider, mock.customerAccounts[provider]),
    namespace: 'default',
    codeBucket: null,
    externalId,
    comment: null,
    status: 'VERIFIED',
    statusDetail: null,
    version: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
  };
}

/** The role's trust policy as DESC API CONNECTION prints it (broker account + external ID). */
export function benchTrustPolicy(connection: ConnectionRecord, environment: Readonly<Record<string, string>>): object {
  return trustPolicy(connection, requireBrokerAccountId(connection, environment));
}

/** `name(x VARCHAR) RETURNS VARCHAR` on `cloudFunction`, with the given dispatch properties. */
export function benchFunction(name: string, connection: ConnectionRecord, cloudFunction: string, properties: Partial<FunctionProperties>): FunctionRecord {
  return {
    id: `bench-${name}`,
    name,
    arguments: [{ name: 'x', type: { kind: 'VARCHAR' } }],
    returnType: { kind: 'VARCHAR' },
    connectionId: connection.id,
    connectionName: connection.name,
    cloudFunction,
    qualifier: null,
    properties: { ...DEFAULT_FUNCTION_PROPERTIES, ...properties },
    comment: null,
    createdAt: CREATED_AT,
  };
}

/**
 * lakefn's real pieces for one connection, pointed at the mock: provider registry (vendor SDK adapters), credential
 * broker (STS AssumeRole with the external ID) and a dispatcher resolving the functions registered here.
 */
export class LakefnStack {
  readonly connection: ConnectionRecord;
  readonly registry: ProviderRegistry;
  readonly broker: CredentialBroker;
  readonly dispatcher: Dispatcher;
  readonly #functions = new Map<string, FunctionRecord>();
  readonly #extras: { dispatcher: Dispatcher; adapter: ProviderAdapterV1 | undefined }[] = [];

  constructor(connection: ConnectionRecord, environment: Readonly<Record<string, string>>) {
    this.connection = connection;
    // LAKEFN_BENCH_INVOKE_TRANSPORT=sdk|http compares the adapters' invoke paths (default: the adapters' default, http).
    const transport = process.env.LAKEFN_BENCH_INVOKE_TRANSPORT;
    this.registry = createProviderRegistry({ environment, ...(transport === 'sdk' || transport === 'http' ? { invokeTransport: transport } : {}) });
    this.broker = createCredentialBroker({ adapterFor: (provider) => this.registry.adapterFor(provider), environment });
    this.dispatcher = this.#createDispatcher({});
  }

  /**
   * Another dispatcher over the same functions and credentials, for the bench's experiments: invocations through
   * `adapter` instead of the registry's, and/or other retry settings. Closed (with the adapter) with the stack.
   */
  dispatcherWith(variant: { readonly adapter?: ProviderAdapterV1; readonly retry?: RetryOptions }): Dispatcher {
    const dispatcher = this.#createDispatcher(variant);
    this.#extras.push({ dispatcher, adapter: variant.adapter });
    return dispatcher;
  }

  /** Registers (or replaces) a function the dispatcher can resolve; returns it. */
  define(name: string, cloudFunction: string, properties: Partial<FunctionProperties>): FunctionRecord {
    const fn = benchFunction(name, this.connection, cloudFunction, properties);
    this.#functions.set(name, fn);
    return fn;
  }

  #createDispatcher(variant: { readonly adapter?: ProviderAdapterV1; readonly retry?: RetryOptions }): Dispatcher {
    const { adapter, retry } = variant;
    return createDispatcher({
      resolveFunction: async (name) => {
        const fn = this.#functions.get(name);
        if (fn === undefined) throw new LakefnError('E_NO_SUCH_FUNCTION', `no bench function ${name}`);
        return { function: fn, connection: this.connection };
      },
      adapterFor: (provider) => adapter ?? this.registry.adapterFor(provider),
      credentialsFor: (record) => this.broker.credentialsFor(record),
      ...(retry === undefined ? {} : { retry }),
    });
  }

  async close(): Promise<void> {
    for (const extra of this.#extras) {
      await extra.dispatcher.close();
      await extra.adapter?.close();
    }
    await this.dispatcher.close();
    this.broker.close();
    await this.registry.close();
  }
}
