// Records, a fake credential source and a dispatcher factory for the dispatcher unit tests.
import { createDispatcher } from '../../../src/dispatcher/create-dispatcher.ts';
import type { DispatcherOptions } from '../../../src/dispatcher/dispatcher-options.ts';
import type { Dispatcher } from '../../../src/dispatcher/dispatcher-types.ts';
import { LakefnError } from '../../../src/errors/index.ts';
import type { ConnectionRecord } from '../../../src/spec/connection-record.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionProperties, type FunctionRecord } from '../../../src/spec/function-record.ts';
import type { SqlType } from '../../../src/spec/sql-type.ts';
import type { TemporaryCredentials } from '../../../src/spec/temporary-credentials.ts';
import type { FakeAdapter } from './fake-adapter.ts';
import { createJsonTestCodec } from './json-test-codec.ts';

export const CONNECTION: ConnectionRecord = Object.freeze({
  id: '5b0c3f5e-0000-4000-8000-000000000001',
  name: 'conn1',
  provider: 'aws',
  region: 'us-east-1',
  roleArn: 'arn:aws:iam::123456789012:role/lakefn-invoker',
  namespace: 'default',
  codeBucket: null,
  externalId: 'ExternalIdExternalId0123456789ab',
  comment: null,
  status: 'VERIFIED',
  statusDetail: null,
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
});

const VARCHAR: SqlType = { kind: 'VARCHAR' };

export interface FunctionSpec extends Partial<FunctionProperties> {
  readonly name?: string;
  readonly argumentTypes?: readonly SqlType[];
  readonly returnType?: SqlType;
  readonly qualifier?: string | null;
}

export function makeFunction(spec: FunctionSpec = {}): FunctionRecord {
  const { name = 'upper', argumentTypes = [VARCHAR], returnType = VARCHAR, qualifier = null, ...properties } = spec;
  return {
    id: `id-${name}`,
    name,
    arguments: argumentTypes.map((type, index) => ({ name: `a${index}`, type })),
    returnType,
    connectionId: CONNECTION.id,
    connectionName: CONNECTION.name,
    cloudFunction: `cloud-${name}`,
    qualifier,
    properties: { ...DEFAULT_FUNCTION_PROPERTIES, ...properties },
    comment: null,
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

/** A credential source that hands out a new access key id on each forced refresh. */
export class FakeCredentials {
  fetches = 0;
  forcedRefreshes = 0;
  #generation = 1;

  source = async (options?: { readonly forceRefresh?: boolean }): Promise<TemporaryCredentials> => {
    this.fetches += 1;
    if (options?.forceRefresh === true) {
      this.forcedRefreshes += 1;
      this.#generation += 1;
    }
    return { accessKeyId: `ASIAKEY${this.#generation}`, secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(Date.now() + 3_600_000) };
  };
}

/** mulberry32: a tiny seeded PRNG so fault plans and jitter are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TestDispatcher {
  readonly dispatcher: Dispatcher;
  readonly credentials: FakeCredentials;
  /** Every backoff delay the dispatcher asked for (the test sleep resolves at once). */
  readonly sleeps: number[];
}

export function createTestDispatcher(adapter: FakeAdapter, functions: readonly FunctionRecord[], options: Partial<DispatcherOptions> = {}): TestDispatcher {
  const credentials = new FakeCredentials();
  const sleeps: number[] = [];
  const byName = new Map(functions.map((fn) => [fn.name, fn]));
  const dispatcher = createDispatcher({
    resolveFunction: async (name) => {
      const fn = byName.get(name);
      if (fn === undefined) throw new LakefnError('E_NO_SUCH_FUNCTION', `no function ${name}`);
      return { function: fn, connection: CONNECTION };
    },
    adapterFor: () => adapter,
    credentialsFor: () => credentials.source,
    createCodec: createJsonTestCodec,
    random: seededRandom(7),
    sleep: async (milliseconds, signal) => {
      sleeps.push(milliseconds);
      signal.throwIfAborted();
      await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
    },
    ...options,
  });
  return { dispatcher, credentials, sleeps };
}

/** Rows ['v0'], ['v1'], … */
export function stringRows(count: number, prefix = 'v'): string[][] {
  return Array.from({ length: count }, (_, index) => [`${prefix}${index}`]);
}

/** The fake function `upper`: upper-cases its one VARCHAR argument. */
export function upperHandler(rows: readonly (readonly unknown[])[]): { results: unknown[] } {
  return { results: rows.map((row) => (typeof row[0] === 'string' ? row[0].toUpperCase() : null)) };
}
