import type { IncomingHttpHeaders } from 'node:http';
import { JsonNumberLiteral } from '../codec/exact-json-parser.ts';
import { describeError, type LakefnError } from '../errors/index.ts';
import { httpError } from './http-status.ts';
import { optionalString, requireObject } from './row-codec.ts';

/**
 * The request and reply bodies of engines that already call remote functions over HTTP (SPEC §6), so they can
 * point at `POST /compat/{format}/{name}` unchanged:
 * - snowflake: `{"data": [[row, a…], …]}` ⇄ `{"data": [[row, v], …]}` (row numbers echoed);
 * - bigquery: `{"requestId", "caller", "sessionUser", "userDefinedContext", "calls": [[a…], …]}` ⇄ `{"replies": […]}`,
 *   errors as `{"errorMessage": "…"}`;
 * - redshift: `{"request_id", "user", "query_id", "num_records", "arguments": [[a…], …], …}` ⇄
 *   `{"success": true, "num_records": n, "results": […]}`, errors as `{"success": false, "error_msg": "…"}`; a row
 *   that is `null` as a whole stands for all arguments NULL, and gets a result like any row.
 * Errors keep the endpoint's HTTP status mapping (the engines retry 429/5xx on their own).
 */
export const COMPAT_FORMATS = ['snowflake', 'bigquery', 'redshift'] as const;
export type CompatFormat = (typeof COMPAT_FORMATS)[number];

export function isCompatFormat(value: string): value is CompatFormat {
  return (COMPAT_FORMATS as readonly string[]).includes(value);
}

export interface CompatRequest {
  /** The rows' argument arrays, still as parsed JSON. */
  readonly wireRows: unknown;
  readonly field: string;
  readonly queryId: string | undefined;
  readonly user: string | undefined;
  /** The reply body for the results' JSON texts, one per row in order. */
  readonly reply: (encodedResults: readonly string[]) => string;
  /** A row that is JSON `null` instead of an array means every argument NULL (Redshift sends such rows). */
  readonly nullRowMeansNullArguments?: boolean;
}

export interface CompatProtocol {
  parse(body: unknown, headers: IncomingHttpHeaders): CompatRequest;
  errorBody(error: LakefnError): string;
}

const snowflake: CompatProtocol = {
  parse(body, headers) {
    const data = requireObject(body, 'the snowflake request body').data;
    if (!Array.isArray(data)) throw httpError(400, 'E_INVALID_ARGUMENT', 'snowflake request: "data" must be an array of [row_number, arguments…] arrays');
    // Snowflake numbers the rows of a batch 0..n-1, each once; the reply is matched to them by number, so a
    // duplicate, negative or out-of-range number would leave a row without its result or answer one twice
    const seen = new Map<number, number>();
    const rowNumbers = data.map((row: unknown, index) => {
      if (!Array.isArray(row) || row.length === 0) throw httpError(400, 'E_INVALID_ARGUMENT', `snowflake request: data[${index}] must be [row_number, arguments…]`);
      const rowNumber: unknown = row[0];
      if (!(typeof rowNumber === 'number' && Number.isInteger(rowNumber)) && !(rowNumber instanceof JsonNumberLiteral && /^-?\d+$/.test(rowNumber.text))) {
        throw httpError(400, 'E_INVALID_ARGUMENT', `snowflake request: data[${index}][0] must be the integer row number`);
      }
      const number = typeof rowNumber === 'number' ? rowNumber : Number.NaN;
      if (!(number >= 0 && number < data.length)) {
        const shown = typeof rowNumber === 'number' ? String(rowNumber) : rowNumber.text.slice(0, 40);
        throw httpError(400, 'E_INVALID_ARGUMENT', `snowflake request: data[${index}][0] is row number ${shown}, outside 0..${data.length - 1} (the rows of a batch are numbered from 0)`);
      }
      const first = seen.get(number);
      if (first !== undefined) throw httpError(400, 'E_INVALID_ARGUMENT', `snowflake request: data[${index}][0] repeats row number ${number} of data[${first}]; each row number must appear once`);
      seen.set(number, index);
      return String(number);
    });
    return {
      wireRows: data.map((row) => (row as unknown[]).slice(1)),
      field: 'data',
      queryId: header(headers, 'sf-external-function-current-query-id'),
      user: header(headers, 'sf-context-current-user'),
      reply: (results) => `{"data":[${results.map((result, index) => `[${rowNumbers[index]},${result}]`).join(',')}]}`,
    };
  },
  errorBody: (error) => JSON.stringify({ error: error.toJSON() }),
};

const bigquery: CompatProtocol = {
  parse(body) {
    const request = requireObject(body, 'the bigquery request body');
    return {
      wireRows: request.calls,
      field: 'calls',
      queryId: optionalString(request, 'requestId'),
      user: optionalString(request, 'sessionUser'),
      reply: (results) => `{"replies":[${results.join(',')}]}`,
    };
  },
  errorBody: (error) => JSON.stringify({ errorMessage: describeError(error) }),
};

const redshift: CompatProtocol = {
  parse(body) {
    const request = requireObject(body, 'the redshift request body');
    const rows = request.arguments;
    const declared = request.num_records;
    if (declared !== undefined && (!Array.isArray(rows) || declared !== rows.length)) {
      throw httpError(400, 'E_INVALID_ARGUMENT', `redshift request: "num_records" (${typeof declared === 'number' ? declared : 'not a number'}) does not match the number of "arguments" rows`);
    }
    const queryId = request.query_id;
    return {
      wireRows: rows,
      field: 'arguments',
      queryId: typeof queryId === 'number' ? String(queryId) : queryId instanceof JsonNumberLiteral ? queryId.text : optionalString(request, 'query_id'),
      user: optionalString(request, 'user'),
      reply: (results) => `{"success":true,"num_records":${results.length},"results":[${results.join(',')}]}`,
      // the Redshift docs' JSON request has a row that is null as a whole ("arguments": [[1, 2], [3, null], null, …])
      nullRowMeansNullArguments: true,
    };
  },
  errorBody: (error) => JSON.stringify({ success: false, error_msg: describeError(error), num_records: 0 }),
};

export const COMPAT_PROTOCOLS: Readonly<Record<CompatFormat, CompatProtocol>> = { snowflake, bigquery, redshift };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.length > 256 ? undefined : text;
}
