import { DuckDBScalarFunction, type DuckDBConnection, type DuckDBDataChunk, type DuckDBVector } from '@duckdb/node-api';
import { toDuckDbType } from './duckdb-type.ts';
import { fromDuckDbValue, toDuckDbValue } from './duckdb-value.ts';
import type { SerializedError, WorkerFunction } from './duckdb-worker-protocol.ts';
import type { SyncBridgeClient } from './sync-bridge-client.ts';
import { tupleKey } from './tuple-key.ts';
import { describeError, LakefnError, quoteValue } from '../errors/index.ts';

/** Cap on cached results per query, so a huge immutable call cannot grow the worker without bound. */
const MAX_CACHED_RESULTS = 2_000_000;

/** Per-query state the UDF callbacks read: which query they serve and the results known so far. */
export class QueryState {
  readonly id: number;
  /** Function name → tuple key → result. Only immutable functions are cached. */
  readonly cache = new Map<string, Map<string, unknown>>();
  /** The first dispatcher error a callback turned into a DuckDB error: the query error's cause. */
  failure: SerializedError | undefined;
  #cached = 0;

  constructor(id: number) {
    this.id = id;
  }

  resultsOf(functionName: string): Map<string, unknown> {
    let results = this.cache.get(functionName);
    if (results === undefined) {
      results = new Map();
      this.cache.set(functionName, results);
    }
    return results;
  }

  remember(functionName: string, key: string, result: unknown): void {
    if (this.#cached >= MAX_CACHED_RESULTS) return;
    this.resultsOf(functionName).set(key, result);
    this.#cached += 1;
  }
}

export interface RegistrationOutcome {
  readonly registered: string[];
  readonly skipped: { name: string; reason: string }[];
}

/**
 * Registers every catalog function as a DuckDB scalar function whose callback answers a chunk from the query's
 * cache (prefetched results) and sends the rest through the synchronous bridge. `specialHandling` makes NULLs
 * (even constant ones) reach the callback: the dispatcher applies the function's own NULL policy (SPEC §5).
 * Immutable functions are registered non-volatile (DuckDB may fold constant calls); the others volatile.
 */
export function registerCatalogFunctions(connection: DuckDBConnection, functions: readonly WorkerFunction[], bridge: SyncBridgeClient, currentQuery: () => QueryState): RegistrationOutcome {
  const outcome: RegistrationOutcome = { registered: [], skipped: [] };
  for (const fn of functions) {
    try {
      connection.registerScalarFunction(
        DuckDBScalarFunction.create({
          name: fn.name,
          returnType: toDuckDbType(fn.returnType),
          parameterTypes: fn.argumentTypes.map(toDuckDbType),
          specialHandling: true,
          volatile: !fn.immutable,
          mainFunction: (_info, input, output) => evaluateChunk(fn, input, output, bridge, currentQuery()),
        }),
      );
      outcome.registered.push(fn.name);
    } catch (error) {
      outcome.skipped.push({ name: fn.name, reason: messageOf(error) });
    }
  }
  return outcome;
}

/**
 * Makes `a.b(x)` call the function registered as `"a.b"`: DuckDB reads `a.b(…)` as function `b` of schema `a`, so each
 * registered name `a.b` (a function of provider project `a` called through a package, or a catalog function of schema
 * `a`) gets schema `a` and a macro `a.b` forwarding its arguments. The function stays callable as `"a.b"(…)` too; a
 * name DuckDB refuses as a macro (e.g. `p.s.f`, or a clash with a DuckDB schema's function) is listed in `skipped`.
 */
export async function registerQualifiedNames(connection: DuckDBConnection, functions: readonly WorkerFunction[], outcome: RegistrationOutcome): Promise<void> {
  for (const fn of functions) {
    const parts = fn.name.split('.');
    if (parts.length !== 2 || !outcome.registered.includes(fn.name)) continue;
    const [schema = '', local = ''] = parts;
    const parameters = fn.argumentTypes.map((_type, index) => `a${index}`).join(', ');
    try {
      await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteDuckDbIdentifier(schema)}`);
      await connection.run(`CREATE MACRO ${quoteDuckDbIdentifier(schema)}.${quoteDuckDbIdentifier(local)}(${parameters}) AS system.main.${quoteDuckDbIdentifier(fn.name)}(${parameters})`);
    } catch (error) {
      outcome.skipped.push({ name: fn.name, reason: `callable only as ${quoteDuckDbIdentifier(fn.name)}(…): ${messageOf(error)}` });
    }
  }
}

function quoteDuckDbIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function evaluateChunk(fn: WorkerFunction, input: DuckDBDataChunk, output: DuckDBVector, bridge: SyncBridgeClient, query: QueryState): void {
  const rows = readArguments(fn, input);
  const results = fn.immutable ? evaluateCached(fn, rows, bridge, query) : evaluateRemote(fn, rows, bridge, query);
  for (let row = 0; row < rows.length; row += 1) {
    try {
      output.setItem(row, toDuckDbValue(results[row], fn.returnType));
    } catch (error) {
      // DuckDB does not tell a scalar function which query row a chunk row is, so the arguments identify it
      throw new Error(`${fn.name}: E_TYPE_COERCION: the result for arguments ${argumentsPreview(rows[row])} does not fit ${fn.returnType.kind}: ${messageOf(error)}`);
    }
  }
  output.flush();
}

function readArguments(fn: WorkerFunction, input: DuckDBDataChunk): unknown[][] {
  const vectors = fn.argumentTypes.map((_type, column) => input.getColumnVector(column));
  const rows: unknown[][] = new Array<unknown[]>(input.rowCount);
  for (let row = 0; row < input.rowCount; row += 1) {
    rows[row] = fn.argumentTypes.map((type, column) => {
      try {
        return fromDuckDbValue((vectors[column] as DuckDBVector).getItem(row), type);
      } catch (error) {
        throw new Error(`${fn.name}: E_BAD_ROW: argument ${column + 1} of chunk row ${row}: ${messageOf(error)}`);
      }
    });
  }
  return rows;
}

/** Identical tuples are evaluated once per query: cached ones are answered locally, the rest sent once. */
function evaluateCached(fn: WorkerFunction, rows: readonly unknown[][], bridge: SyncBridgeClient, query: QueryState): unknown[] {
  const known = query.resultsOf(fn.name);
  const keys = rows.map(tupleKey);
  const missing = new Map<string, unknown[]>();
  keys.forEach((key, row) => {
    if (!known.has(key) && !missing.has(key)) missing.set(key, rows[row] as unknown[]);
  });
  const fetched = new Map<string, unknown>();
  if (missing.size > 0) {
    const results = evaluateRemote(fn, [...missing.values()], bridge, query);
    [...missing.keys()].forEach((key, index) => {
      fetched.set(key, results[index]);
      query.remember(fn.name, key, results[index]);
    });
  }
  return keys.map((key) => (known.has(key) ? known.get(key) : fetched.get(key)));
}

function evaluateRemote(fn: WorkerFunction, rows: readonly unknown[][], bridge: SyncBridgeClient, query: QueryState): unknown[] {
  const reply = bridge.call({ queryId: query.id, functionName: fn.name, rows });
  if ('error' in reply) {
    query.failure ??= reply.error;
    // DuckDB keeps only this text: the code goes into it, as the CLI renders errors
    throw new Error(`${fn.name}: ${reply.error.code}: ${reply.error.message}`);
  }
  return reply.results;
}

/** An error as DuckDB keeps it (text only), so a lakefn error keeps its code in front, as the CLI renders it. */
export function messageOf(error: unknown): string {
  if (LakefnError.isInstance(error)) return describeError(error);
  return error instanceof Error ? error.message : String(error);
}

/** A short, printable rendering of one row's arguments for error messages (bigint-safe, truncated). */
function argumentsPreview(row: readonly unknown[] | undefined): string {
  const text = JSON.stringify(row ?? [], (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  return quoteValue(text);
}
