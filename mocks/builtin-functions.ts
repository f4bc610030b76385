import { setTimeout as sleep } from 'node:timers/promises';
import type { FunctionHandler } from './mock-types.ts';

/**
 * Example functions for the wire formats of SPEC §6. The lakefn v1 ones take {"lakefn":1,"rows":[[…],…]} and
 * answer {"results":[…]}; the `upper_*` variants speak the snowflake, bigquery and redshift formats.
 */
export const BUILTIN_FUNCTIONS = {
  /** VARCHAR → upper case; NULL → NULL. */
  upper: (payload) => ({ results: lakefnRows(payload, 'upper').map(([value]) => upperCase(value)) }),
  /** Exact sum of the row's numeric arguments (BIGINT/DECIMAL may arrive as strings); any NULL → NULL. */
  add: (payload) => ({ results: lakefnRows(payload, 'add').map((row, index) => addValues(row, index)) }),
  /** The first argument, unchanged. */
  echo: (payload) => ({ results: lakefnRows(payload, 'echo').map(([value]) => value ?? null) }),
  /** Sleeps for the largest first argument (milliseconds) of the batch, then echoes. */
  sleep: async (payload, context) => {
    const rows = lakefnRows(payload, 'sleep');
    const milliseconds = Math.min(600_000, Math.max(0, ...rows.map(([value]) => Number(value) || 0)));
    await sleep(milliseconds, undefined, { signal: context.signal });
    return { results: rows.map(([value]) => value ?? null) };
  },
  /** Throws (a function error) when any row's first argument is the string 'fail'; echoes otherwise. */
  fail_on: (payload) => {
    const rows = lakefnRows(payload, 'fail_on');
    const failing = rows.findIndex(([value]) => value === 'fail');
    if (failing !== -1) throw new Error(`fail_on: row ${failing} has the value 'fail'`);
    return { results: rows.map(([value]) => value ?? null) };
  },
  /** A per-row error (and a NULL result) for rows whose first argument is 'bad'; echoes the others. */
  row_errors: (payload) => {
    const rows = lakefnRows(payload, 'row_errors');
    const errors = rows.flatMap(([value], row) => (value === 'bad' ? [{ row, message: `row ${row}: the value 'bad' is rejected` }] : []));
    const results = rows.map(([value]) => (value === 'bad' ? null : (value ?? null)));
    return errors.length > 0 ? { results, errors } : { results };
  },
  /**
   * Snowflake: {"data":[[0,"a"],…]} → {"data":[[0,"A"],…]}; behind API Gateway's proxy integration (lakefn's default
   * envelope for Snowflake-format functions on Lambda) it reads the request from `body` and answers {statusCode, body}.
   */
  upper_snowflake: (payload) => {
    const proxied = typeof payload === 'object' && payload !== null && typeof (payload as Record<string, unknown>)['body'] === 'string';
    const request: unknown = proxied ? JSON.parse((payload as Record<string, string>)['body'] ?? '') : payload;
    const data = field(request, 'data', 'upper_snowflake', 'a snowflake request {"data": [[row, arg…], …]}');
    const reply = { data: data.map((row) => [rowAt(row, 0), upperCase(rowAt(row, 1))]) };
    return proxied ? { statusCode: 200, body: JSON.stringify(reply) } : reply;
  },
  /** BigQuery: {"calls":[["a"],…]} → {"replies":["A",…]}. */
  upper_bigquery: (payload) => {
    const calls = field(payload, 'calls', 'upper_bigquery', 'a bigquery request {"requestId", "calls": [[arg…], …]}');
    return { replies: calls.map((call) => upperCase(rowAt(call, 0))) };
  },
  /**
   * Snowflake's "Sample synchronous Lambda function", written in JavaScript the way the sample is written in Python:
   * behind API Gateway's proxy integration it reads the request from `event["body"]` (a JSON string), answers each
   * row with ["Echoing inputs:", first argument, second argument] and returns {"statusCode": 200, "body": "<json>"};
   * on any error, statusCode 400 with the request body.
   */
  snowflake_sample: (event) => {
    let statusCode = 200;
    const arrayOfRowsToReturn: unknown[] = [];
    let eventBody: unknown;
    let jsonCompatibleStringToReturn: unknown;
    try {
      eventBody = (event as Record<string, unknown>)['body'];
      const payload = JSON.parse(eventBody as string) as { data: unknown[][] };
      for (const row of payload.data) {
        const rowNumber = row[0];
        const outputValue = ['Echoing inputs:', row[1], row[2]];
        arrayOfRowsToReturn.push([rowNumber, outputValue]);
      }
      jsonCompatibleStringToReturn = JSON.stringify({ data: arrayOfRowsToReturn });
    } catch {
      statusCode = 400;
      jsonCompatibleStringToReturn = eventBody;
    }
    return { statusCode, body: jsonCompatibleStringToReturn };
  },
  /** Redshift: {"arguments":[["a"],…]} → {"success":true,"num_records":n,"results":["A",…]}. */
  upper_redshift: (payload) => {
    const rows = field(payload, 'arguments', 'upper_redshift', 'a redshift request {"request_id", "num_records", "arguments": [[arg…], …]}');
    return { success: true, num_records: rows.length, results: rows.map((row) => upperCase(rowAt(row, 0))) };
  },
} as const satisfies Record<string, FunctionHandler>;

export type BuiltinFunctionName = keyof typeof BUILTIN_FUNCTIONS;
export const BUILTIN_FUNCTION_NAMES = Object.keys(BUILTIN_FUNCTIONS) as BuiltinFunctionName[];

export function builtinFunction(name: string): FunctionHandler | undefined {
  return Object.hasOwn(BUILTIN_FUNCTIONS, name) ? BUILTIN_FUNCTIONS[name as BuiltinFunctionName] : undefined;
}

function lakefnRows(payload: unknown, name: string): unknown[][] {
  const rows = field(payload, 'rows', name, 'a lakefn v1 request {"lakefn": 1, "rows": [[arg…], …]}');
  if ((payload as Record<string, unknown>)['lakefn'] !== 1) throw new Error(`${name}: expected "lakefn": 1`);
  return rows.map((row, index) => {
    if (!Array.isArray(row)) throw new Error(`${name}: row ${index} is not an array`);
    return row as unknown[];
  });
}

function field(payload: unknown, key: string, name: string, expected: string): unknown[] {
  const value = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(value)) throw new Error(`${name}: expected ${expected}`);
  return value as unknown[];
}

function rowAt(row: unknown, index: number): unknown {
  return Array.isArray(row) ? row[index] : undefined;
}

function upperCase(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value.toUpperCase() : JSON.stringify(value).toUpperCase();
}

interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const MAX_DECIMAL_CHARACTERS = 800;

/** Sums exactly: integers (as numbers or strings) in BigInt, decimal strings at the largest scale, plain floats as floats. */
function addValues(row: readonly unknown[], index: number): unknown {
  if (row.some((value) => value === null || value === undefined)) return null;
  if (row.every((value) => typeof value === 'number') && row.some((value) => !Number.isInteger(value))) {
    return (row as number[]).reduce((sum, value) => sum + value, 0);
  }
  const decimals = row.map((value) => toDecimal(value, index));
  const scale = Math.max(0, ...decimals.map((decimal) => decimal.scale));
  const units = decimals.reduce((sum, decimal) => sum + decimal.units * 10n ** BigInt(scale - decimal.scale), 0n);
  if (scale > 0) return formatDecimal(units, scale);
  const safe = units <= BigInt(Number.MAX_SAFE_INTEGER) && units >= BigInt(Number.MIN_SAFE_INTEGER);
  return safe ? Number(units) : units.toString();
}

function toDecimal(value: unknown, index: number): Decimal {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || text.length > MAX_DECIMAL_CHARACTERS || !/^-?\d+(\.\d+)?$/.test(text)) {
    throw new Error(`add: row ${index}: ${JSON.stringify(value)?.slice(0, 80)} is not a number`);
  }
  const [whole = '', fraction = ''] = text.split('.');
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

function formatDecimal(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
