import type { CallContext, DispatchEvent, DispatchStats } from '../../src/dispatcher/dispatcher-types.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionProperties, type FunctionRecord } from '../../src/spec/function-record.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';
import type { UdfHook } from '../../src/udf/udf-hook.ts';

/** A catalog function record for tests. */
export function functionRecord(name: string, argumentTypes: readonly SqlType[], returnType: SqlType, properties: Partial<FunctionProperties> = {}): FunctionRecord {
  return {
    id: `id-${name}`,
    name,
    arguments: argumentTypes.map((type, index) => ({ name: `a${index}`, type })),
    returnType,
    connectionId: '00000000-0000-4000-8000-000000000001',
    connectionName: 'test_connection',
    cloudFunction: name,
    qualifier: null,
    properties: { ...DEFAULT_FUNCTION_PROPERTIES, ...properties },
    comment: null,
    createdAt: '2024-01-01T00:00:00.000Z',
  };
}

export interface FakeCall {
  readonly functionName: string;
  readonly rows: readonly (readonly unknown[])[];
  readonly context: CallContext | undefined;
}

export type FakeImplementation = (row: readonly unknown[], context: CallContext | undefined) => unknown;

export type FakeUdfHook = UdfHook & { readonly calls: FakeCall[]; emit(event: DispatchEvent): void; closed: boolean };

const ZERO_STATS: DispatchStats = {
  rows: 0, batches: 0, bytesOut: 0, bytesIn: 0, attempts: 0, retries: 0, retriesByCause: {}, throttles: 0, rowErrors: 0,
  nullSkipped: 0, dedupSaved: 0, failedBatches: 0, currentConcurrency: 4, latencyMs: { p50: 0, p95: 0, p99: 0 },
};

/**
 * An in-memory UdfHook for tests of the layers above the dispatcher: each function is a JS implementation over
 * one row (it may throw a LakefnError, which fails the call). `delayMs` delays every call. Records every call.
 */
export function fakeUdfHook(functions: readonly FunctionRecord[], implementations: Record<string, FakeImplementation>, delayMs = 1): FakeUdfHook {
  const calls: FakeCall[] = [];
  const listeners = new Set<(event: DispatchEvent) => void>();
  const hook: FakeUdfHook = {
    calls,
    closed: false,
    emit: (event) => listeners.forEach((listener) => listener(event)),
    async listFunctions() {
      return [...functions];
    },
    async describe(name) {
      const found = functions.find((fn) => fn.name === name);
      if (found === undefined) throw new LakefnError('E_NO_SUCH_FUNCTION', `function ${name} does not exist`, { location: { function: name } });
      return found;
    },
    async evaluate(functionName, rows, context) {
      calls.push({ functionName, rows, context });
      const implementation = implementations[functionName];
      if (implementation === undefined) throw new LakefnError('E_NO_SUCH_FUNCTION', `function ${functionName} does not exist`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (context?.signal?.aborted) throw new LakefnError('E_CANCELLED', 'cancelled');
      const results = rows.map((row) => implementation(row, context));
      hook.emit({ type: 'batch-end', function: functionName, connection: 'test_connection', rows: rows.length, latencyMs: delayMs, attempts: 1 });
      return results;
    },
    async evaluateWithStats(functionName, rows, context) {
      return { results: await hook.evaluate(functionName, rows, context), stats: ZERO_STATS };
    },
    evaluateStream() {
      throw new Error('not used by these tests');
    },
    stats: () => ZERO_STATS,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      hook.closed = true;
    },
  };
  return hook;
}
