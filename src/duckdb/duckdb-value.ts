import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { SqlType } from '../spec/sql-type.ts';

/**
 * Conversions between DuckDB's JS values (as `@duckdb/node-api` reads and writes vectors) and lakefn's value
 * representation (documented in src/spec/sql-type.ts). Both directions are lossless: BIGINT stays bigint, DECIMAL
 * is exact decimal text, TIMESTAMP keeps microseconds. A value that does not fit throws a plain Error whose
 * message the caller wraps with the function name and row.
 */

const MICROSECONDS_PER_MILLISECOND = 1000n;

/** DuckDB value of an argument column → the lakefn value the dispatcher expects for `type`. */
export function fromDuckDbValue(value: DuckDBValue, type: SqlType): unknown {
  if (value === null) return null;
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INT':
    case 'FLOAT':
    case 'DOUBLE':
    case 'VARCHAR':
      return value;
    case 'BIGINT':
      return typeof value === 'number' ? BigInt(value) : value;
    case 'DECIMAL':
      return expectInstance(value, DuckDBDecimalValue, type).toString();
    case 'DATE':
      return formatDate(expectInstance(value, DuckDBDateValue, type));
    case 'TIMESTAMP':
      return formatTimestamp(value instanceof DuckDBTimestampValue ? value.micros : expectInstance(value, DuckDBTimestampTZValue, type).micros);
    case 'BINARY':
      return expectInstance(value, DuckDBBlobValue, type).bytes;
    case 'JSON':
      if (typeof value !== 'string') throw new Error(`expected JSON text, got ${describe(value)}`);
      return JSON.parse(value) as unknown;
    case 'ARRAY':
      return expectInstance(value, DuckDBListValue, type).items.map((item) => fromDuckDbValue(item, type.element));
    case 'MAP':
      return new Map(expectInstance(value, DuckDBMapValue, type).entries.map((entry) => [fromDuckDbValue(entry.key, type.key), fromDuckDbValue(entry.value, type.value)]));
    case 'STRUCT': {
      const entries = expectInstance(value, DuckDBStructValue, type).entries;
      return Object.fromEntries(type.fields.map((field) => [field.name, fromDuckDbValue(entries[field.name] ?? null, field.type)]));
    }
  }
}

/** A lakefn result value of `type` → the DuckDB value written into the UDF's output vector. */
export function toDuckDbValue(value: unknown, type: SqlType): DuckDBValue {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'BOOLEAN':
      return expectType(value, 'boolean');
    case 'INT':
    case 'FLOAT':
    case 'DOUBLE':
      return expectType(value, 'number');
    case 'BIGINT':
      if (typeof value === 'bigint') return value;
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      if (typeof value === 'string' && value.length <= 21 && /^-?\d{1,20}$/.test(value)) return BigInt(value);
      throw new Error(`expected a BIGINT, got ${describe(value)}`);
    case 'DECIMAL':
      return new DuckDBDecimalValue(parseScaledDecimal(value, type.scale), type.precision, type.scale);
    case 'VARCHAR':
      return expectType(value, 'string');
    case 'DATE':
      return parseDate(value);
    case 'TIMESTAMP':
      return new DuckDBTimestampTZValue(parseTimestampMicros(value));
    case 'BINARY':
      if (value instanceof Uint8Array) return new DuckDBBlobValue(value);
      throw new Error(`expected bytes, got ${describe(value)}`);
    case 'JSON':
      return JSON.stringify(value);
    case 'ARRAY':
      if (!Array.isArray(value)) throw new Error(`expected an array, got ${describe(value)}`);
      return new DuckDBListValue(value.map((item) => toDuckDbValue(item, type.element)));
    case 'MAP': {
      const entries = value instanceof Map ? [...(value as Map<unknown, unknown>).entries()] : isPlainObject(value) ? Object.entries(value) : undefined;
      if (entries === undefined) throw new Error(`expected a map, got ${describe(value)}`);
      return new DuckDBMapValue(entries.map(([key, item]) => ({ key: toDuckDbValue(key, type.key), value: toDuckDbValue(item, type.value) })));
    }
    case 'STRUCT': {
      if (!isPlainObject(value)) throw new Error(`expected an object, got ${describe(value)}`);
      return new DuckDBStructValue(Object.fromEntries(type.fields.map((field) => [field.name, toDuckDbValue(value[field.name] ?? null, field.type)])));
    }
  }
}

function formatDate(value: DuckDBDateValue): string {
  if (!value.isFinite) throw new Error(`DATE ${value.toString()} has no YYYY-MM-DD form`);
  const { year, month, day } = value.toParts();
  if (year < 1 || year > 9999) throw new Error(`DATE year ${year} is outside 0001–9999`);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function parseDate(value: unknown): DuckDBDateValue {
  const text = expectType(value, 'string');
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) throw new Error(`expected a DATE as YYYY-MM-DD, got ${describe(value)}`);
  return DuckDBDateValue.fromParts({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
}

/** ISO-8601 in UTC with `Z`, with microseconds when they are not whole milliseconds. */
export function formatTimestamp(micros: bigint): string {
  let milliseconds = micros / MICROSECONDS_PER_MILLISECOND;
  let remainder = micros % MICROSECONDS_PER_MILLISECOND;
  if (remainder < 0n) {
    milliseconds -= 1n;
    remainder += MICROSECONDS_PER_MILLISECOND;
  }
  const date = new Date(Number(milliseconds));
  if (Number.isNaN(date.getTime())) throw new Error(`TIMESTAMP ${micros}µs is outside the ISO-8601 range`);
  const iso = date.toISOString();
  return remainder === 0n ? iso : `${iso.slice(0, -1)}${String(remainder).padStart(3, '0')}Z`;
}

function parseTimestampMicros(value: unknown): bigint {
  if (value instanceof Date) return BigInt(value.getTime()) * MICROSECONDS_PER_MILLISECOND;
  const text = expectType(value, 'string');
  if (text.length > 64) throw new Error(`expected an ISO-8601 TIMESTAMP, got ${describe(value)}`);
  const milliseconds = Date.parse(text);
  if (Number.isNaN(milliseconds)) throw new Error(`expected an ISO-8601 TIMESTAMP, got ${describe(value)}`);
  // Date.parse keeps milliseconds only: recover digits 4–6 of the fraction.
  const fraction = /[T ]\d{2}:\d{2}:\d{2}\.(\d+)/.exec(text)?.[1] ?? '';
  const extraMicros = BigInt(fraction.slice(3, 6).padEnd(3, '0'));
  // Date.parse floors to the millisecond, so the extra microseconds are always added (also before 1970).
  return BigInt(milliseconds) * MICROSECONDS_PER_MILLISECOND + extraMicros;
}

/** Exact decimal text (or a number) → the integer scaled by 10^scale; refuses digits beyond the scale. */
function parseScaledDecimal(value: unknown, scale: number): bigint {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : expectType(value, 'string');
  if (text.length > 82) throw new Error(`expected a DECIMAL, got ${describe(value)}`);
  const match = /^(-?)(\d{1,40})(?:\.(\d{1,40}))?$/.exec(text);
  if (match === null) throw new Error(`expected a DECIMAL, got ${describe(value)}`);
  const [, sign = '', whole = '0', fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > scale) throw new Error(`${text} has more than ${scale} fractional digits`);
  const scaled = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
  return sign === '-' ? -scaled : scaled;
}

function expectInstance<T>(value: DuckDBValue, constructor: abstract new (...parameters: never[]) => T, type: SqlType): T {
  if (value instanceof constructor) return value;
  throw new Error(`expected a DuckDB ${type.kind} value, got ${describe(value)}`);
}

function expectType<T extends 'string' | 'number' | 'boolean'>(value: unknown, kind: T): T extends 'string' ? string : T extends 'number' ? number : boolean {
  if (typeof value === kind) return value as T extends 'string' ? string : T extends 'number' ? number : boolean;
  throw new Error(`expected a ${kind}, got ${describe(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Map);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}' (string)`;
  if (typeof value === 'object' && value !== null) return value.constructor.name;
  return `${String(value)} (${typeof value})`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
