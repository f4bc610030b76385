import { JsonNumber, stringifyLosslessJson, type JsonValue } from './lossless-json.ts';

/**
 * Prefetch planning. DuckDB calls a scalar UDF synchronously, one chunk (≤ 2048 rows) at a time, so through the
 * bridge at most one chunk's batches are in flight. For an `immutable` function called on every row of the query's
 * FROM/WHERE, the planner derives `SELECT DISTINCT <arguments> FROM … WHERE …` from DuckDB's own parse tree
 * (`json_serialize_sql`); the worker runs it first, the dispatcher evaluates the distinct tuples at full
 * concurrency, and the UDF then answers chunks from the results (misses still go through the bridge).
 *
 * The planner is conservative: a call site is prefetched only when it is evaluated for exactly the rows the
 * FROM/WHERE produce, so prefetching never calls the function on a tuple the query itself would not. It skips
 * statements with LIMIT or a sample, set operations, external calls in FROM/WHERE/HAVING/QUALIFY/CTEs (the row set would
 * depend on remote results), and call sites under CASE, AND/OR, COALESCE, conditional functions, window
 * functions, subqueries or lambdas (evaluated for some rows only), or with external calls in their arguments.
 */

export interface PrefetchFunction {
  /** Registered name (as DuckDB resolves it: case-insensitively). */
  readonly name: string;
  readonly immutable: boolean;
  readonly argumentCount: number;
}

export interface PrefetchCallSite {
  /** The catalog function this site calls. */
  readonly functionName: string;
  /**
   * A serialized statement (for `json_deserialize_sql`) selecting the site's arguments, aliased
   * `__lakefn_arg_0…`, for every row the query evaluates it on (not yet DISTINCT).
   */
  readonly argumentsStatement: string;
}

const CONDITIONAL_FUNCTIONS = new Set(['if', 'iff', 'ifnull', 'nullif', 'coalesce', 'try', 'nvl']);
const TRANSPARENT_CLASSES = new Set(['FUNCTION', 'CAST', 'COMPARISON', 'OPERATOR', 'COLLATE', 'BETWEEN']);
const FILTER_KEYS = ['from_table', 'where_clause', 'having', 'qualify', 'cte_map', 'sample'] as const;

export const PREFETCH_ARGUMENT_PREFIX = '__lakefn_arg_';

/** Call sites of `functions` in the serialized statement `tree` that can be prefetched (deduplicated). */
export function planPrefetch(tree: JsonValue, functions: ReadonlyMap<string, PrefetchFunction>): PrefetchCallSite[] {
  const statements = field(tree, 'statements');
  if (field(tree, 'error') === true || !Array.isArray(statements) || statements.length !== 1) return [];
  const statement = statements[0];
  const node = field(statement, 'node');
  if (!isObject(node) || node.type !== 'SELECT_NODE') return [];
  const modifiers = node.modifiers;
  if (Array.isArray(modifiers) && modifiers.some((modifier) => field(modifier, 'type') !== 'ORDER_MODIFIER' && field(modifier, 'type') !== 'DISTINCT_MODIFIER')) return [];
  if (node.sample !== null && node.sample !== undefined) return [];
  if (FILTER_KEYS.some((key) => containsExternalCall(node[key] ?? null, functions))) return [];

  const sites = new Map<string, PrefetchCallSite>();
  const visit = (expression: JsonValue): void => {
    if (!isObject(expression)) return;
    const external = externalFunction(expression, functions);
    if (external !== undefined) {
      const children = expression.children;
      if (external.immutable && Array.isArray(children) && children.length === external.argumentCount && !children.some((child) => containsExternalCall(child, functions) || containsClass(child, 'SUBQUERY'))) {
        const argumentsNode: Record<string, JsonValue> = {
          ...node,
          modifiers: [],
          select_list: children.map((child, index) => ({ ...(child as Record<string, JsonValue>), alias: `${PREFETCH_ARGUMENT_PREFIX}${index}` })),
        };
        const argumentsStatement = stringifyLosslessJson({ error: false, statements: [{ ...(statement as Record<string, JsonValue>), node: argumentsNode }] });
        const identity = `${external.name}\u0000${stringifyLosslessJson(withoutLocations(children))}`;
        if (!sites.has(identity)) sites.set(identity, { functionName: external.name, argumentsStatement });
        return;
      }
      // not prefetchable itself (e.g. an external call in its arguments): its arguments still run on every row
      if (Array.isArray(children)) children.forEach(visit);
      return;
    }
    if (!isTransparent(expression)) return;
    for (const value of Object.values(expression)) {
      if (Array.isArray(value)) value.forEach(visit);
      else visit(value);
    }
  };
  for (const key of ['select_list', 'group_expressions'] as const) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach(visit);
  }
  return [...sites.values()];
}

function externalFunction(expression: Record<string, JsonValue>, functions: ReadonlyMap<string, PrefetchFunction>): PrefetchFunction | undefined {
  if (expression.class !== 'FUNCTION' || typeof expression.function_name !== 'string') return undefined;
  if ((expression.catalog ?? '') !== '') return undefined;
  return functions.get(calledName(expression.function_name, expression.schema));
}

/** The registered name a call reaches: `f`, or `a.f` for `a.f(…)` (the macro registerQualifiedNames creates). */
function calledName(functionName: string, schema: JsonValue | undefined): string {
  const name = functionName.toLowerCase();
  return typeof schema === 'string' && schema !== '' ? `${schema.toLowerCase()}.${name}` : name;
}

function isTransparent(expression: Record<string, JsonValue>): boolean {
  if (typeof expression.class !== 'string' || !TRANSPARENT_CLASSES.has(expression.class)) return false;
  if (expression.type === 'OPERATOR_COALESCE') return false;
  return !(expression.class === 'FUNCTION' && typeof expression.function_name === 'string' && CONDITIONAL_FUNCTIONS.has(expression.function_name.toLowerCase()));
}

function containsExternalCall(value: JsonValue, functions: ReadonlyMap<string, PrefetchFunction>): boolean {
  if (Array.isArray(value)) return value.some((item) => containsExternalCall(item, functions));
  if (!isObject(value)) return false;
  if (value.class === 'FUNCTION' && typeof value.function_name === 'string' && functions.has(calledName(value.function_name, value.schema))) return true;
  return Object.values(value).some((item) => containsExternalCall(item, functions));
}

function containsClass(value: JsonValue, expressionClass: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsClass(item, expressionClass));
  if (!isObject(value)) return false;
  return value.class === expressionClass || Object.values(value).some((item) => containsClass(item, expressionClass));
}

/** Two call sites with the same arguments at different places in the text are one prefetch. */
function withoutLocations(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutLocations);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'query_location' && key !== 'alias').map(([key, item]) => [key, withoutLocations(item)]));
}

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return isObject(value) ? value[key] : undefined;
}

function isObject(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}
