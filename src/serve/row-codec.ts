import { parseJsonExact } from '../codec/exact-json-parser.ts';
import { createValueDecoder, type ValueDecoder } from '../codec/value-decoders.ts';
import { createValueEncoder, type ValueEncoder } from '../codec/value-encoders.ts';
import { describeMismatch, mismatchDetails } from '../codec/value-mismatch.ts';
import { LakefnError, toLakefnError } from '../errors/index.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import { formatSqlType } from '../spec/sql-type.ts';
import { httpError } from './http-status.ts';

/**
 * JSON ⇄ lakefn values for the HTTP endpoint, with the wire conventions of SPEC §6 (lossless): the body is parsed
 * keeping number literals a double cannot carry (so a BIGINT beyond 2^53 sent as a number stays exact; strings
 * are accepted too), arguments are decoded per declared type, results encoded per the return type (BIGINT beyond
 * ±2^53 as a string, DECIMAL as a string, BINARY as base64…).
 */

/** Parses a request body; malformed JSON is a 400. */
export function parseRequestJson(text: string): unknown {
  try {
    return parseJsonExact(text);
  } catch (error) {
    throw httpError(400, 'E_INVALID_ARGUMENT', `request body: ${toLakefnError(error).message}`);
  }
}

export function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw httpError(400, 'E_INVALID_ARGUMENT', `${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 256) throw httpError(400, 'E_INVALID_ARGUMENT', `"${field}" must be a string of at most 256 characters`);
  return value;
}

/** A function's compiled argument decoders and result encoder (compile once per request, run per row). */
export class RowCodec {
  readonly #function: FunctionRecord;
  readonly #decoders: readonly ValueDecoder[];
  readonly #encodeResult: ValueEncoder;

  constructor(fn: FunctionRecord) {
    this.#function = fn;
    this.#decoders = fn.arguments.map((argument) => createValueDecoder(argument.type, true));
    this.#encodeResult = createValueEncoder(fn.returnType);
  }

  /**
   * Wire rows (arrays of JSON values) → rows of lakefn values; a row that does not fit is a 400 naming it. With
   * `nullRowMeansNullArguments`, a row that is `null` as a whole is every argument NULL.
   */
  decodeRows(wireRows: unknown, field: string, nullRowMeansNullArguments = false): unknown[][] {
    if (!Array.isArray(wireRows)) throw httpError(400, 'E_INVALID_ARGUMENT', `"${field}" must be an array of rows`);
    const fn = this.#function;
    return wireRows.map((given: unknown, row) => {
      const wireRow = given === null && nullRowMeansNullArguments ? fn.arguments.map(() => null) : given;
      if (!Array.isArray(wireRow) || wireRow.length !== fn.arguments.length) {
        throw new LakefnError('E_BAD_ROW', `row ${row} of "${field}" must be an array of ${fn.arguments.length} argument(s) for ${fn.name}(${fn.arguments.map((argument) => formatSqlType(argument.type)).join(', ')})`, { location: { function: fn.name, row } });
      }
      return wireRow.map((wire: unknown, column) => {
        try {
          return (this.#decoders[column] as ValueDecoder)(wire);
        } catch (error) {
          const details = mismatchDetails(error);
          const argument = fn.arguments[column]?.name ?? `argument ${column + 1}`;
          const what = details === undefined ? `: ${toLakefnError(error).message}` : describeMismatch(details, argument);
          throw new LakefnError('E_BAD_ROW', `row ${row}, argument ${argument} of ${fn.name}${what}`, { location: { function: fn.name, row, field: argument } });
        }
      });
    });
  }

  /** One result → its JSON text (the dispatcher already checked it against the return type). */
  encodeResult(value: unknown, row: number): string {
    try {
      return this.#encodeResult(value);
    } catch (error) {
      throw new LakefnError('E_TYPE_COERCION', `result of row ${row} of ${this.#function.name} cannot be encoded as ${formatSqlType(this.#function.returnType)}: ${toLakefnError(error).message}`, { location: { function: this.#function.name, row } });
    }
  }

  encodeResults(values: readonly unknown[]): string[] {
    return values.map((value, row) => this.encodeResult(value, row));
  }
}
