// Shared fixtures for the codec tests: function records, SQL type shorthands, and an "echo" cloud function that
// answers each format's request with the first argument of every row (exactly, big numbers included).
import { JsonNumberLiteral, parseJsonExact } from '../../src/codec/exact-json-parser.ts';
import type { BatchContext } from '../../src/codec/wire-codec.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionProperties, type FunctionRecord, type WireFormat } from '../../src/spec/function-record.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';

export const FORMATS: readonly WireFormat[] = ['lakefn', 'snowflake', 'bigquery', 'redshift'];

export const CONTEXT: BatchContext = { batchId: 'q-17:upper:3', queryId: 'q-17', user: 'alice' };

export const T = {
  BOOLEAN: { kind: 'BOOLEAN' },
  INT: { kind: 'INT' },
  BIGINT: { kind: 'BIGINT' },
  FLOAT: { kind: 'FLOAT' },
  DOUBLE: { kind: 'DOUBLE' },
  VARCHAR: { kind: 'VARCHAR' },
  DATE: { kind: 'DATE' },
  TIMESTAMP: { kind: 'TIMESTAMP' },
  BINARY: { kind: 'BINARY' },
  JSON: { kind: 'JSON' },
} as const satisfies Record<string, SqlType>;

export function decimal(precision: number, scale: number): SqlType {
  return { kind: 'DECIMAL', precision, scale };
}

export function array(element: SqlType): SqlType {
  return { kind: 'ARRAY', element };
}

export function map(key: SqlType, value: SqlType): SqlType {
  return { kind: 'MAP', key, value };
}

export function struct(fields: Readonly<Record<string, SqlType>>): SqlType {
  return { kind: 'STRUCT', fields: Object.entries(fields).map(([name, type]) => ({ name, type })) };
}

/** A catalog record for `name(x0 T0, x1 T1, …) RETURNS returnType` in `format`. */
export function makeFunction(
  format: WireFormat,
  argumentTypes: readonly SqlType[],
  returnType: SqlType,
  properties: Partial<FunctionProperties> = {},
  name = 'echo',
): FunctionRecord {
  return {
    id: 'fn-1',
    name,
    arguments: argumentTypes.map((type, index) => ({ name: `x${index}`, type })),
    returnType,
    connectionId: '00000000-0000-4000-8000-000000000001',
    connectionName: 'conn',
    cloudFunction: name,
    qualifier: null,
    properties: { ...DEFAULT_FUNCTION_PROPERTIES, ...properties, format },
    comment: null,
    createdAt: '2024-01-01T00:00:00Z',
  };
}

/** JSON text that writes JsonNumberLiteral and bigint as their exact literals. */
export function stringifyExact(value: unknown): string {
  if (value instanceof JsonNumberLiteral) return value.text;
  if (typeof value === 'bigint') return String(value);
  if (Object.is(value, -0)) return '-0';
  if (Array.isArray(value)) return `[${value.map(stringifyExact).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, member]) => `${JSON.stringify(key)}:${stringifyExact(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('request is not an object');
  return value as Record<string, unknown>;
}

/** The argument rows of a request in any format (snowflake rows keep their row number in column 0). */
export function requestRows(format: WireFormat, request: Uint8Array): unknown[][] {
  const body = asRecord(parseJsonExact(Buffer.from(request).toString('utf8')));
  const field = { lakefn: 'rows', snowflake: 'data', bigquery: 'calls', redshift: 'arguments' }[format];
  return body[field] as unknown[][];
}

/** What a cloud function echoing argument `column` of every row would reply; snowflake answers in reverse order. */
export function echoReply(format: WireFormat, request: Uint8Array, column = 0): Uint8Array {
  const rows = requestRows(format, request);
  const values = rows.map((row) => (format === 'snowflake' ? row[column + 1] : row[column]));
  let reply: unknown;
  switch (format) {
    case 'lakefn':
      reply = { results: values };
      break;
    case 'snowflake':
      reply = { data: rows.map((row, index) => [row[0], values[index]]).reverse() };
      break;
    case 'bigquery':
      reply = { replies: values };
      break;
    case 'redshift':
      reply = { success: true, num_records: values.length, results: values };
      break;
  }
  return Buffer.from(stringifyExact(reply), 'utf8');
}

export function bytesOf(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** A reply to a batch of `count` rows answering every row with `values[i]` in the format's own envelope. */
export function replyWith(format: WireFormat, values: readonly unknown[]): Uint8Array {
  const reply = {
    lakefn: { results: values },
    snowflake: { data: values.map((value, index) => [index, value]) },
    bigquery: { replies: values },
    redshift: { success: true, num_records: values.length, results: values },
  }[format];
  return bytesOf(stringifyExact(reply));
}
