import { DuckDBArrayValue, DuckDBListValue, DuckDBMapValue, DuckDBStructValue, DuckDBUnionValue, type DuckDBValue } from '@duckdb/node-api';
import type { ResultValue } from './duckdb-worker-protocol.ts';

/**
 * A query result cell as it crosses to the main thread: JSON-like structure for lists, structs and maps (a map
 * becomes an object keyed by the keys' text), bigint kept exact, and DuckDB's own text for every other value
 * (DECIMAL, DATE, TIMESTAMP, BLOB, UUID, INTERVAL…), which is exact and what DuckDB's CLI shows.
 */
export function toResultValue(value: DuckDBValue): ResultValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value;
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(toResultValue);
  if (value instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(value.entries).map(([key, item]) => [key, toResultValue(item)]));
  if (value instanceof DuckDBMapValue) return Object.fromEntries(value.entries.map((entry) => [keyText(entry.key), toResultValue(entry.value)]));
  if (value instanceof DuckDBUnionValue) return toResultValue(value.value);
  return value.toString();
}

function keyText(key: DuckDBValue): string {
  return typeof key === 'string' ? key : JSON.stringify(toResultValue(key), (_name, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}
